package dev.beacon.ingest;

import static dev.beacon.ingest.IngestTestKit.BOOTSTRAP_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.testsupport.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Keep-alive after rejections, on a raw socket: a rejection decided before the body is read (an
 * unknown key) still reads the body before answering, so the answer arrives intact and the next
 * request on the same connection is answered; the same holds for answers given after reading it.
 */
@IntegrationTest
class KeepAliveApplicationTests {

  @LocalServerPort int port;

  @Test
  void rejectionsBeforeTheBodyLeaveTheConnectionUsableForTheNextRequest() throws IOException {
    // a large body (rejected on its headers) then a small one that fits in one packet, repeated
    byte[] large = jsonOf(256 * 1024);
    byte[] small = jsonOf(100);
    try (Socket socket = socket()) {
      for (int round = 0; round < 100; round++) {
        send(socket, "not-a-key", round % 2 == 0 ? large : small);

        String head = readResponse(socket.getInputStream());

        assertThat(head)
            .as("round %d", round)
            .startsWith("HTTP/1.1 401")
            .doesNotContainIgnoringCase("connection: close");
      }
    }
  }

  @Test
  void answersAfterReadingTheBodyKeepTheConnectionForTheNextRequest() throws IOException {
    try (Socket socket = socket()) {
      for (int round = 0; round < 50; round++) {
        // malformed JSON: refused after the body was read
        send(socket, BOOTSTRAP_KEY, "{\"batch\": [".getBytes(StandardCharsets.US_ASCII));

        String head = readResponse(socket.getInputStream());

        assertThat(head)
            .as("round %d", round)
            .startsWith("HTTP/1.1 400")
            .doesNotContainIgnoringCase("connection: close");
      }
    }
  }

  private Socket socket() throws IOException {
    Socket socket = new Socket("localhost", port);
    // a hang fails the test with a SocketTimeoutException instead of blocking the build
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static void send(Socket socket, String key, byte[] body) throws IOException {
    String head =
        "POST /api/obs/v1/events HTTP/1.1\r\n"
            + "Host: localhost\r\n"
            + "Authorization: Bearer "
            + key
            + "\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  private static byte[] jsonOf(int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) ' ');
    body[0] = '{';
    body[size - 1] = '}';
    return body;
  }

  /** Reads one response with a Content-Length body; returns its head. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed by the server after: " + head);
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    in.readNBytes(length);
    return text;
  }
}
