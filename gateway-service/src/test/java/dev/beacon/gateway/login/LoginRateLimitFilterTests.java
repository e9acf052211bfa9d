package dev.beacon.gateway.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

class LoginRateLimitFilterTests {

  final AtomicInteger passed = new AtomicInteger();
  final WebFilterChain chain =
      exchange -> {
        passed.incrementAndGet();
        return Mono.empty();
      };

  final LoginRateLimitFilter filter =
      new LoginRateLimitFilter(
          new LoginProperties(Duration.ofMinutes(15), 100, 2, Duration.ofMinutes(15)));

  @Test
  void limitsLinkRequestsPerClientAddressWhateverTheEmail() {
    assertThat(send("a@example.com", "10.0.0.1")).isNull();
    assertThat(send("b@example.com", "10.0.0.1")).isNull();
    assertThat(send("c@example.com", "10.0.0.1")).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    assertThat(send("c@example.com", "10.0.0.2")).as("another address").isNull();
    assertThat(passed).hasValue(3);
  }

  @Test
  void refusesMalformedAddressesWithoutCountingThem() {
    assertThat(send("not-an-email", "10.0.0.3")).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(passed).hasValue(0);
  }

  @Test
  void leavesOtherRequestsAlone() {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(MockServerHttpRequest.post("/login/ott"));
    filter.filter(exchange, chain).block();
    assertThat(passed).hasValue(1);
  }

  private HttpStatus send(String email, String address) {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(
            MockServerHttpRequest.post("/ott/generate")
                .remoteAddress(new InetSocketAddress(address, 40000))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body("username=" + email));
    filter.filter(exchange, chain).block();
    return (HttpStatus) exchange.getResponse().getStatusCode();
  }
}
