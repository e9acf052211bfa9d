package dev.beacon.ingest.events.web;

import dev.beacon.identity.error.ApiException;
import dev.beacon.ingest.config.IngestProperties;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads a request body under hard caps, instead of leaving it to a codec whose buffer limit would
 * surface as a 500: at most {@code max-compressed-body} on the wire when gzip-encoded (else {@code
 * max-decompressed-body}), and at most {@code max-decompressed-body} after inflating. Inflation
 * stops at the cap, so a gzip bomb costs at most the cap in memory.
 */
@Component
public class RequestBodyReader {

  private static final int CHUNK = 64 * 1024;

  private final int maxCompressed;
  private final int maxDecompressed;

  RequestBodyReader(IngestProperties properties) {
    this.maxCompressed = (int) properties.limits().maxCompressedBody().toBytes();
    this.maxDecompressed = (int) properties.limits().maxDecompressedBody().toBytes();
  }

  /** The raw body, bounded; gzip is inflated later by {@link #inflate}. */
  public Mono<byte[]> read(ServerHttpRequest request, boolean gzip) {
    int cap = gzip ? maxCompressed : maxDecompressed;
    long declared = request.getHeaders().getContentLength();
    if (declared > cap) {
      return Mono.error(tooLarge(gzip));
    }
    return DataBufferUtils.join(request.getBody(), cap)
        .map(RequestBodyReader::toBytes)
        .onErrorMap(DataBufferLimitException.class, error -> tooLarge(gzip))
        .defaultIfEmpty(new byte[0]);
  }

  /**
   * Reads and drops the body, for an answer decided before it (a rejection on the headers). The
   * answer then goes out after the whole request arrived, like every other answer: sent while the
   * rest of the body was still arriving, the client's next request on the same keep-alive
   * connection could come before the server had finished the exchange, a case in which Reactor
   * Netty 1.3 can stop reading the connection (reactor-netty#4347) and that request waits for the
   * client's timeout. Closing the connection instead would make the kernel reset it over the unread
   * bytes, and the client might not see the answer. A body declared larger than the cap is not read
   * (the answer closes the connection).
   */
  public Mono<Void> discard(ServerHttpRequest request) {
    if (request.getHeaders().getContentLength() > maxDecompressed) {
      return Mono.empty();
    }
    return DataBufferUtils.join(request.getBody(), maxDecompressed)
        .doOnNext(DataBufferUtils::release)
        .onErrorResume(DataBufferLimitException.class, error -> Mono.empty())
        .then();
  }

  /** Inflates a gzip body, refusing it at the decompressed cap. CPU-bound: call off the loop. */
  public byte[] inflate(byte[] compressed) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), CHUNK)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream(Math.min(maxDecompressed, compressed.length * 8 + 1024));
      byte[] chunk = new byte[CHUNK];
      int read;
      while ((read = in.read(chunk)) > 0) {
        if (out.size() + read > maxDecompressed) {
          throw new ApiException(
              HttpStatus.CONTENT_TOO_LARGE,
              "payload_too_large",
              "The body inflates to more than " + maxDecompressed + " bytes.");
        }
        out.write(chunk, 0, read);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "invalid_gzip", "The body is not valid gzip: " + e.getMessage());
    }
  }

  private ApiException tooLarge(boolean gzip) {
    return new ApiException(
        HttpStatus.CONTENT_TOO_LARGE,
        "payload_too_large",
        gzip
            ? "A gzip body may have at most " + maxCompressed + " bytes."
            : "A body may have at most "
                + maxDecompressed
                + " bytes; send larger ones gzip-encoded.");
  }

  private static byte[] toBytes(DataBuffer buffer) {
    try {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }
}
