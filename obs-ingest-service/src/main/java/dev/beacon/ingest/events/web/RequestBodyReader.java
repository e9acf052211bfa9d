package dev.beacon.ingest.events.web;

import dev.beacon.ingest.config.IngestProperties;
import dev.beacon.ingest.events.domain.IngestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
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

  /** Inflates a gzip body, refusing it at the decompressed cap. CPU-bound: call off the loop. */
  public byte[] inflate(byte[] compressed) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), CHUNK)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream(Math.min(maxDecompressed, compressed.length * 8 + 1024));
      byte[] chunk = new byte[CHUNK];
      int read;
      while ((read = in.read(chunk)) > 0) {
        if (out.size() + read > maxDecompressed) {
          throw new IngestException(
              413,
              "payload_too_large",
              "The body inflates to more than " + maxDecompressed + " bytes.");
        }
        out.write(chunk, 0, read);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IngestException(
          400, "invalid_gzip", "The body is not valid gzip: " + e.getMessage());
    }
  }

  private IngestException tooLarge(boolean gzip) {
    return new IngestException(
        413,
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
