package dev.beacon.integrations.webfetch;

import dev.beacon.events.ErrorDetails;
import dev.beacon.integrations.config.IntegrationsProperties;
import dev.beacon.integrations.events.IntegrationEvents;
import dev.beacon.integrations.tool.domain.ToolCall;
import dev.beacon.integrations.tool.domain.ToolExecutor;
import dev.beacon.integrations.tool.domain.ToolKind;
import dev.beacon.integrations.tool.domain.ToolResult;
import dev.beacon.integrations.tool.domain.ToolSpec;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@code web_fetch}: fetches a public page and answers its readable text.
 *
 * <p>Every request — the first and each redirect, followed here and at most {@code max-redirects}
 * times — passes {@link UrlCheck} and then connects only to addresses {@link
 * PublicAddressResolverGroup} checked when it resolved the name; URLs under an allowed prefix skip
 * both. Bodies are read up to {@code max-body-size} and the rest is never read (the result then
 * ends with {@code [truncated]}); the whole fetch, redirects included, ends at {@code timeout};
 * only HTML, XHTML, plain text and JSON are read. Each request that was sent (or failed on the way
 * to a permitted address) publishes one {@code service_call} ({@code web}, {@code fetch}); a
 * refused address publishes none, since nothing left Beacon.
 */
@Component
class WebFetchTool implements ToolExecutor, DisposableBean {

  static final String NAME = "web_fetch";
  private static final String TRUNCATED = "\n[truncated]";
  private static final Set<String> READABLE =
      Set.of("text/html", "application/xhtml+xml", "text/plain", "application/json");
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final String ACCEPT =
      "text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.8";

  /** What one request gave. */
  private record Hop(
      int status,
      String location,
      MediaType type,
      byte[] body,
      boolean cut,
      String errorCode,
      String errorMessage) {

    static Hop answered(int status, String location, MediaType type, byte[] body, boolean cut) {
      return new Hop(status, location, type, body, cut, null, null);
    }

    static Hop failed(String code, String message) {
      return new Hop(0, null, null, null, false, code, message);
    }
  }

  private final IntegrationsProperties.Web settings;
  private final IntegrationEvents events;
  private final UrlCheck urls;
  private final ConnectionProvider publicConnections;
  private final ConnectionProvider allowlistedConnections;
  private final HttpClient publicOnly;
  private final HttpClient allowlisted;
  private final ToolSpec spec;

  WebFetchTool(IntegrationsProperties properties, IntegrationEvents events) {
    this.settings = properties.web();
    this.events = events;
    this.urls = new UrlCheck(settings.allowedUrlPrefixes());
    // separate pools: a connection opened to an allowlisted address is never reused for a URL
    // that had to pass the public-address check
    this.publicConnections = ConnectionProvider.create("web-fetch-public", 50);
    this.allowlistedConnections = ConnectionProvider.create("web-fetch-allowlisted", 10);
    this.publicOnly = client(publicConnections).resolver(new PublicAddressResolverGroup());
    this.allowlisted = client(allowlistedConnections);
    this.spec =
        new ToolSpec(
            NAME,
            "Fetches a public web page (http or https) and returns its readable text: the title"
                + " and the text without scripts or styles, at most "
                + settings.maxResultChars()
                + " characters. Plain text and JSON come back as served.",
            ToolKind.READ,
            "web",
            Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                    "url",
                    Map.of(
                        "type",
                        "string",
                        "description",
                        "The page's http or https URL.",
                        "minLength",
                        1,
                        "maxLength",
                        2048),
                    "max_chars",
                    Map.of(
                        "type",
                        "integer",
                        "description",
                        "The longest text to return, " + settings.maxResultChars() + " by default.",
                        "minimum",
                        100,
                        "maximum",
                        settings.maxResultChars())),
                "required",
                List.of("url"),
                "additionalProperties",
                false),
            List.of());
  }

  private HttpClient client(ConnectionProvider connections) {
    return HttpClient.create(connections)
        .followRedirect(false)
        .compress(true)
        .option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(settings.timeout().toMillis(), Integer.MAX_VALUE))
        .headers(
            headers ->
                headers
                    .set(HttpHeaderNames.USER_AGENT, settings.userAgent())
                    .set(HttpHeaderNames.ACCEPT, ACCEPT));
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public Mono<ToolResult> execute(ToolCall call) {
    String url = call.arguments().get("url").asString();
    int maxChars =
        call.arguments().hasNonNull("max_chars")
            ? call.arguments().get("max_chars").asInt()
            : settings.maxResultChars();
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    return Mono.defer(() -> fetch(call, url, 0, deadline, maxChars));
  }

  private Mono<ToolResult> fetch(
      ToolCall call, String url, int redirects, long deadline, int maxChars) {
    UrlCheck.Target target;
    try {
      target = urls.check(url);
    } catch (UrlCheck.Refusal refusal) {
      return Mono.just(ToolResult.failed(refusal.code(), refusal.getMessage()));
    }
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      return Mono.just(timedOut());
    }
    long started = System.nanoTime();
    HttpClient client = target.allowlisted() ? allowlisted : publicOnly;
    return client
        .get()
        .uri(target.uri())
        .response(this::read)
        .single()
        .timeout(Duration.ofNanos(remaining))
        .onErrorResume(e -> Mono.just(failure(e)))
        .flatMap(
            hop -> {
              if (!"address_not_allowed".equals(hop.errorCode())) {
                publish(call, target.uri(), redirects, hop, elapsedMs(started));
              }
              return answer(call, target.uri(), hop, redirects, deadline, maxChars);
            });
  }

  private Mono<Hop> read(HttpClientResponse response, ByteBufFlux body) {
    int status = response.status().code();
    if (REDIRECTS.contains(status)) {
      return Mono.just(
          Hop.answered(
              status, response.responseHeaders().get(HttpHeaderNames.LOCATION), null, null, false));
    }
    if (status < 200 || status >= 300) {
      return Mono.just(Hop.answered(status, null, null, null, false));
    }
    MediaType type = mediaType(response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE));
    if (type == null || !READABLE.contains(type.getType() + "/" + type.getSubtype())) {
      return Mono.just(Hop.answered(status, null, type, null, false));
    }
    int max = (int) settings.maxBodySize().toBytes();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean[] cut = new boolean[1];
    return body.asByteArray()
        .takeUntil(
            chunk -> {
              int room = max - bytes.size();
              bytes.write(chunk, 0, Math.min(room, chunk.length));
              cut[0] = chunk.length >= room;
              return cut[0];
            })
        .then(
            Mono.fromSupplier(() -> Hop.answered(status, null, type, bytes.toByteArray(), cut[0])));
  }

  private Mono<ToolResult> answer(
      ToolCall call, URI uri, Hop hop, int redirects, long deadline, int maxChars) {
    if (hop.errorCode() != null) {
      return Mono.just(ToolResult.failed(hop.errorCode(), hop.errorMessage()));
    }
    if (REDIRECTS.contains(hop.status())) {
      if (hop.location() == null || hop.location().isBlank()) {
        return Mono.just(
            ToolResult.failed(
                "fetch_failed", "The site answered HTTP " + hop.status() + " without a Location."));
      }
      if (redirects >= settings.maxRedirects()) {
        return Mono.just(
            ToolResult.failed(
                "fetch_failed",
                "The site redirected more than " + settings.maxRedirects() + " times."));
      }
      String next;
      try {
        next = uri.resolve(hop.location().strip()).toString();
      } catch (IllegalArgumentException e) {
        return Mono.just(
            ToolResult.failed("invalid_url", "The site redirected to an invalid URL."));
      }
      return fetch(call, next, redirects + 1, deadline, maxChars);
    }
    if (hop.status() >= 400) {
      return Mono.just(
          ToolResult.failed("fetch_failed", "The site answered HTTP " + hop.status() + "."));
    }
    if (hop.status() < 200 || hop.status() >= 300) {
      return Mono.just(
          ToolResult.failed(
              "fetch_failed", "The site answered HTTP " + hop.status() + ", not a page."));
    }
    if (hop.body() == null) {
      return Mono.just(
          ToolResult.failed(
              "unsupported_content",
              "The page is "
                  + (hop.type() == null ? "of no declared type" : hop.type().toString())
                  + "; only HTML, XHTML, plain text and JSON are read."));
    }
    return Mono.just(ToolResult.ok(text(uri, hop, maxChars)));
  }

  private static String text(URI uri, Hop hop, int maxChars) {
    Charset charset = charset(hop.type());
    StringBuilder text = new StringBuilder();
    String subtype = hop.type().getSubtype();
    if (subtype.equals("html") || subtype.equals("xhtml+xml")) {
      ReadableText.Page page = ReadableText.html(hop.body(), charset, uri.toString());
      if (!page.title().isEmpty()) {
        text.append("Title: ").append(page.title()).append('\n');
      }
      text.append("URL: ").append(uri).append("\n\n").append(page.text());
    } else {
      text.append("URL: ")
          .append(uri)
          .append("\n\n")
          .append(new String(hop.body(), charset == null ? StandardCharsets.UTF_8 : charset));
    }
    if (!hop.cut() && text.length() <= maxChars) {
      return text.toString();
    }
    int keep = Math.min(text.length(), maxChars - TRUNCATED.length());
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + TRUNCATED;
  }

  private void publish(ToolCall call, URI uri, int redirect, Hop hop, long durationMs) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("tool", NAME);
    if (call.callId() != null) {
      metadata.put("call_id", call.callId());
    }
    metadata.put("host", uri.getHost());
    if (hop.status() > 0) {
      metadata.put("http_status", hop.status());
    }
    metadata.put("redirect", redirect);
    ErrorDetails error = null;
    if (hop.errorCode() != null) {
      error = new ErrorDetails(hop.errorCode(), hop.errorMessage());
    } else if (hop.status() >= 400) {
      error = new ErrorDetails("fetch_failed", "HTTP " + hop.status());
    }
    events.serviceCall(call.context(), "web", "fetch", durationMs, error, metadata);
  }

  /** A request that got no answer. */
  private Hop failure(Throwable e) {
    if (e instanceof TimeoutException) {
      return Hop.failed("timeout", timedOut().error().message());
    }
    AddressRefusedException refused = causedBy(e, AddressRefusedException.class);
    if (refused != null) {
      return Hop.failed("address_not_allowed", refused.getMessage());
    }
    if (causedBy(e, UnknownHostException.class) != null) {
      return Hop.failed("fetch_failed", "The host name could not be resolved.");
    }
    return Hop.failed(
        "fetch_failed", "The page could not be fetched (" + e.getClass().getSimpleName() + ").");
  }

  private ToolResult timedOut() {
    return ToolResult.failed(
        "timeout", "The page did not load within " + settings.timeout().toMillis() + " ms.");
  }

  private static <T extends Throwable> T causedBy(Throwable e, Class<T> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }

  private static MediaType mediaType(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return MediaType.parseMediaType(header);
    } catch (InvalidMediaTypeException e) {
      return null;
    }
  }

  private static Charset charset(MediaType type) {
    try {
      return type.getCharset();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long elapsedMs(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  @Override
  public void destroy() {
    publicConnections.dispose();
    allowlistedConnections.dispose();
  }
}
