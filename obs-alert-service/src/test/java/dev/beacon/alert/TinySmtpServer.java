package dev.beacon.alert;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal in-JVM SMTP server for tests (GreenMail is not available offline here): speaks enough
 * of RFC 5321 for JavaMail (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps every received
 * message (envelope recipients and raw data).
 */
public final class TinySmtpServer implements AutoCloseable {

  /** One received message. */
  public record Message(List<String> recipients, String data) {}

  private final ServerSocket socket;
  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public TinySmtpServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "tiny-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  public List<Message> messages() {
    return List.copyOf(messages);
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Thread session = new Thread(() -> serve(client), "tiny-smtp-session");
        session.setDaemon(true);
        session.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = client.getOutputStream()) {
      reply(out, "220 localhost tiny smtp");
      List<String> recipients = new CopyOnWriteArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        String command =
            line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
        switch (command) {
          case "EHLO", "HELO" -> reply(out, "250 localhost");
          case "MAIL", "NOOP" -> reply(out, "250 OK");
          case "RSET" -> {
            recipients.clear();
            reply(out, "250 OK");
          }
          case "RCPT" -> {
            recipients.add(line.replaceAll("(?i)^RCPT TO:\\s*<?([^>]*)>?.*$", "$1"));
            reply(out, "250 OK");
          }
          case "DATA" -> {
            reply(out, "354 end with <CRLF>.<CRLF>");
            StringBuilder data = new StringBuilder();
            String dataLine;
            while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
              data.append(dataLine.startsWith("..") ? dataLine.substring(1) : dataLine)
                  .append('\n');
            }
            messages.add(new Message(List.copyOf(recipients), data.toString()));
            recipients.clear();
            reply(out, "250 OK queued");
          }
          case "QUIT" -> {
            reply(out, "221 bye");
            return;
          }
          default -> reply(out, "502 not implemented");
        }
      }
    } catch (IOException e) {
      // the client went away; nothing to clean up
    }
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
