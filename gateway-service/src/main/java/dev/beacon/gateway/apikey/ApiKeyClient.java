package dev.beacon.gateway.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.beacon.gateway.config.ServiceUrls;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Asks the ingest service whether an API key is valid: {@code POST /internal/keys/verify} with
 * {@code {"key": "..."}}. Assumed answer (ingest owns the shape): 200 with {@code workspace_id},
 * {@code scopes} and {@code key_id} for a live key, 401, 403 or 404 for an unknown, revoked or
 * expired one. The parser is tolerant: it also accepts {@code workspaceId}/{@code keyId}, and a
 * {@code scope} string. Answers are cached by the key's SHA-256 for at most 5 s, so a revoked key
 * stops working within 5 s; failures to reach ingest are not cached.
 */
@Component
public class ApiKeyClient {

  /** The outcome of a verification. */
  public record Verification(boolean valid, String keyId, String workspaceId, List<String> scopes) {

    static final Verification INVALID = new Verification(false, null, null, List.of());

    boolean hasScope(String scope) {
      return valid && scopes.contains(scope);
    }
  }

  private final WebClient web;
  private final ApiKeyProperties properties;
  private final Cache<String, Verification> cache;

  @Autowired
  ApiKeyClient(
      ObjectProvider<WebClient.Builder> builder, ServiceUrls urls, ApiKeyProperties properties) {
    this(
        builder.getIfAvailable(WebClient::builder).baseUrl(urls.url("obs-ingest")).build(),
        properties);
  }

  ApiKeyClient(WebClient ingest, ApiKeyProperties properties) {
    this.web = ingest;
    this.properties = properties;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(properties.cacheTtl().toMillis(), TimeUnit.MILLISECONDS)
            .build();
  }

  /** Verifies a key; errors only when ingest cannot be asked. */
  public Mono<Verification> verify(String key) {
    String cacheKey = sha256(key);
    Verification cached = cache.getIfPresent(cacheKey);
    if (cached != null) {
      return Mono.just(cached);
    }
    return web.post()
        .uri(properties.verifyPath())
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("key", key))
        .retrieve()
        .bodyToMono(Map.class)
        .map(ApiKeyClient::parse)
        .onErrorResume(
            WebClientResponseException.class,
            e ->
                e.getStatusCode().is4xxClientError()
                        && e.getStatusCode().value() != HttpStatus.TOO_MANY_REQUESTS.value()
                    ? Mono.just(Verification.INVALID)
                    : Mono.error(e))
        .timeout(properties.timeout())
        .doOnNext(verification -> cache.put(cacheKey, verification));
  }

  private static Verification parse(Map<?, ?> body) {
    String workspaceId = text(body, "workspace_id", "workspaceId");
    String keyId = text(body, "key_id", "keyId", "id");
    Object scopes = body.containsKey("scopes") ? body.get("scopes") : body.get("scope");
    List<String> scopeList =
        scopes instanceof List<?> list
            ? list.stream().map(String::valueOf).toList()
            : scopes instanceof String s ? List.of(s.split("[ ,]+")) : List.of();
    if (workspaceId == null || workspaceId.isBlank()) {
      return Verification.INVALID;
    }
    return new Verification(true, keyId == null ? "unknown" : keyId, workspaceId, scopeList);
  }

  private static String text(Map<?, ?> body, String... names) {
    for (String name : names) {
      Object value = body.get(name);
      if (value != null) {
        return String.valueOf(value);
      }
    }
    return null;
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
