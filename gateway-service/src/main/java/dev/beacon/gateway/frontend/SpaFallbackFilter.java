package dev.beacon.gateway.frontend;

import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Lets the dashboard's client-side routes ({@code /overview}, {@code /runs/42}, …) load the app: a
 * browser navigation ({@code GET}/{@code HEAD} accepting {@code text/html}) to a path that is not
 * the API, actuator, login, logout, dev mailbox, assets or a file of the bundle's root (one segment
 * with a dot, such as {@code /favicon.svg}) is served {@code /index.html}; deeper paths may hold
 * dots, since agent and run ids do. {@code /} always is. Runs after Spring Security (which saw the
 * real path) and only when the bundle has an {@code index.html}.
 */
class SpaFallbackFilter implements WebFilter, Ordered {

  static final String INDEX = "/index.html";

  /** Paths the gateway itself answers: never the app, whatever the Accept header. */
  private static final List<String> SERVER_PREFIXES =
      List.of("/api", "/actuator", "/dev", "/login/ott", "/logout", "/ott", "/assets");

  private final boolean bundlePresent;

  SpaFallbackFilter(boolean bundlePresent) {
    this.bundlePresent = bundlePresent;
  }

  @Override
  public int getOrder() {
    return 0;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (!bundlePresent || !isAppRoute(request)) {
      return chain.filter(exchange);
    }
    ServerHttpRequest index = request.mutate().path(INDEX).build();
    return chain.filter(exchange.mutate().request(index).build());
  }

  static boolean isAppRoute(ServerHttpRequest request) {
    if (request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD) {
      return false;
    }
    String path = request.getPath().pathWithinApplication().value();
    if (path.equals("/")) {
      return true;
    }
    for (String prefix : SERVER_PREFIXES) {
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        return false;
      }
    }
    boolean rootFile = path.indexOf('/', 1) < 0 && path.contains(".");
    return !rootFile && acceptsHtml(request);
  }

  private static boolean acceptsHtml(ServerHttpRequest request) {
    return request.getHeaders().getAccept().stream()
            .anyMatch(type -> "text".equals(type.getType()) && "html".equals(type.getSubtype()))
        || request.getHeaders().getAccept().contains(MediaType.APPLICATION_XHTML_XML);
  }
}
