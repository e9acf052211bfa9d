package dev.beacon.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the launcher's local stand-ins (Stripe, GitHub) share: a JDK HTTP server on 127.0.0.1 with a
 * few daemon threads, form decoding, HTML escaping, answers, and the labelled page every stand-in
 * page is framed in.
 */
final class LocalHttp implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String STYLE =
      "<style>body{font:15px system-ui;margin:3em auto;max-width:40em}"
          + ".banner{background:#fff3cd;border:1px solid #e0c36a;padding:.6em 1em}"
          + "button{margin:.3em .3em .3em 0;padding:.5em 1em}.notice{color:#0a6}</style>";

  private final HttpServer server;
  private final ExecutorService executor;

  private LocalHttp(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Serves {@code handler} on a free port of 127.0.0.1.
   *
   * @param part what the server is, for the error a failed start reports and its thread names
   */
  static LocalHttp start(String part, HttpHandler handler) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new StackException(part, "cannot listen: " + e.getMessage(), "");
    }
    AtomicInteger threads = new AtomicInteger();
    String prefix = "beacon-" + part.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "-";
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, prefix + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.createContext("/", handler);
    server.setExecutor(executor);
    server.start();
    return new LocalHttp(server, executor);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** {@code a=1&b=x%20y} as a map; a key without {@code =} maps to the empty string. */
  static Map<String, String> form(String encoded) {
    Map<String, String> form = new LinkedHashMap<>();
    if (encoded == null || encoded.isBlank()) {
      return form;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      form.put(
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return form;
  }

  /** The request body as a form. */
  static Map<String, String> form(HttpExchange exchange) throws IOException {
    return form(body(exchange));
  }

  static String body(HttpExchange exchange) throws IOException {
    return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** {@code bytes} random bytes as lower-case hex. */
  static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  static void json(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
  }

  /**
   * An HTML page under the stand-in's banner, which says what it is, that it is not the real
   * service, and how to use the real one instead.
   */
  static void page(HttpExchange exchange, int status, String title, String banner, String body)
      throws IOException {
    String html =
        "<!doctype html><html><head><meta charset=utf-8><title>"
            + title
            + "</title>"
            + STYLE
            + "</head><body><p class=banner>"
            + banner
            + "</p>"
            + body
            + "</body></html>";
    send(exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  static void redirect(HttpExchange exchange, int status, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(status, -1);
  }

  static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
