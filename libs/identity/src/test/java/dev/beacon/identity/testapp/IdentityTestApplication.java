package dev.beacon.identity.testapp;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import dev.beacon.identity.ForwardedIdentities;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** A minimal service protected by the forwarded identity, as a real service would be. */
@SpringBootApplication
public class IdentityTestApplication {

  /** A functional endpoint that reads the caller through {@link ForwardedIdentities#current()}. */
  @Bean
  RouterFunction<ServerResponse> whoAmI() {
    return route(
        GET("/api/whoami"),
        request ->
            ForwardedIdentities.current()
                .flatMap(identity -> ServerResponse.ok().bodyValue(describe(identity))));
  }

  static Map<String, String> describe(ForwardedIdentity identity) {
    return Map.of(
        "userId", identity.userId(),
        "workspaceId", identity.workspaceId(),
        "role", identity.role().claimValue());
  }

  @RestController
  static class ThingsController {

    @GetMapping("/api/things")
    Map<String, String> list(@AuthenticationPrincipal ForwardedIdentity identity) {
      return describe(identity);
    }

    @PostMapping("/api/things")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, String> create(@AuthenticationPrincipal ForwardedIdentity identity) {
      return describe(identity);
    }

    /** A documented refusal with a field of its own and a {@code Retry-After}. */
    @GetMapping("/public/refused")
    String refused() {
      throw ApiException.conflict("thing_busy", "The thing is busy.")
          .with("limit", 3)
          .retryAfter(Duration.ofMillis(1500));
    }

    @PostMapping("/public/echo")
    Map<String, Integer> echo(@RequestBody Map<String, Integer> body) {
      return body;
    }

    @GetMapping("/public/ping")
    String ping() {
      return "pong";
    }

    @PostMapping("/public/hooks")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void hook() {}
  }
}
