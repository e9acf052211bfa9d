package dev.beacon.loadgen;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One blocking HTTP/1.1 keep-alive connection that posts batches to {@code POST
 * /api/obs/v1/events}, for one load generator worker. The load generator shares the machine with
 * the service it measures, so it should spend as little CPU per request as it can: a socket per
 * worker, a pre-built request head and a minimal response reader cost a fraction of {@link
 * java.net.http.HttpClient}'s selector thread and futures. Plain {@code http} only.
 */
public final class IngestConnection implements AutoCloseable {

  private static final int TIMEOUT_MILLIS = 30_000;
  private static final int BUFFER = 64 * 1024;

  private final InetSocketAddress address;
  private final byte[] head;
  private final boolean gzip;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  public IngestConnection(String baseUrl, String apiKey, boolean gzip) {
    URI uri = URI.create(baseUrl.replaceAll("/+$", ""));
    if (!"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException("the load generator speaks plain http only: " + baseUrl);
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    this.address = new InetSocketAddress(uri.getHost(), port);
    String path = (uri.getRawPath() == null ? "" : uri.getRawPath()) + "/api/obs/v1/events";
    this.head =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: "
                + uri.getHost()
                + ":"
                + port
                + "\r\nAuthorization: Bearer "
                + apiKey
                + "\r\nContent-Type: application/json\r\n"
                + (gzip ? "Content-Encoding: gzip\r\n" : ""))
            .getBytes(StandardCharsets.US_ASCII);
    this.gzip = gzip;
  }

  /** Posts one batch; its status code, -1 when the request failed without an answer. */
  public int postForStatus(byte[] json) {
    return post(json).status();
  }

  /** Posts one batch; an answer with status -1 when the request failed without one. */
  IngestClient.Answer post(byte[] json) {
    byte[] body = gzip ? IngestClient.gzip(json) : json;
    try {
      open();
      out.write(head);
      out.write(
          ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return readAnswer();
    } catch (IOException e) {
      close();
      return new IngestClient.Answer(-1, 0, e.toString());
    }
  }

  private void open() throws IOException {
    if (socket != null) {
      return;
    }
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(TIMEOUT_MILLIS);
    socket.connect(address, TIMEOUT_MILLIS);
    in = new BufferedInputStream(socket.getInputStream(), BUFFER);
    out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
  }

  private IngestClient.Answer readAnswer() throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
    long contentLength = -1;
    long retryAfter = 0;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).strip();
      switch (name) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> closeAfter = value.equalsIgnoreCase("close");
        case "retry-after" -> retryAfter = Long.parseLong(value);
        default -> {}
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (int size = chunkSize(); size > 0; size = chunkSize()) {
        copy(size, body);
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
    } else if (contentLength > 0) {
      copy(contentLength, body);
    }
    if (closeAfter) {
      close();
    }
    return new IngestClient.Answer(status, retryAfter, body.toString(StandardCharsets.UTF_8));
  }

  private int chunkSize() throws IOException {
    String size = line();
    int extension = size.indexOf(';');
    return Integer.parseInt(
        extension < 0 ? size.strip() : size.substring(0, extension).strip(), 16);
  }

  private void copy(long length, ByteArrayOutputStream body) throws IOException {
    byte[] chunk = new byte[(int) Math.min(length, BUFFER)];
    long left = length;
    while (left > 0) {
      int read = in.read(chunk, 0, (int) Math.min(left, chunk.length));
      if (read < 0) {
        throw new EOFException("connection closed in the middle of a response");
      }
      body.write(chunk, 0, read);
      left -= read;
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed before the response ended");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a broken connection: nothing left to do
      } finally {
        socket = null;
      }
    }
  }
}
