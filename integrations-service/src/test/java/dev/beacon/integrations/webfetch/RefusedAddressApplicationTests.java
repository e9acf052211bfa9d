package dev.beacon.integrations.webfetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.beacon.integrations.webfetch.WebFetchApplicationTests.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.integrations.IntegrationsStandIns;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Addresses {@code web_fetch} must never reach, through the registry API: private, loopback,
 * link-local, unspecified, multicast and reserved ranges, their IPv6 and IPv4-in-IPv6 forms, IPv4
 * in decimal, octal and hex, and a DNS name that resolves to loopback.
 */
class RefusedAddressApplicationTests extends IntegrationsStandIns {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://172.31.255.255/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://127.0.0.1/",
        "http://127.8.9.10:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[::1]/",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[fd12:3456:789a::1]/",
        "http://[ff02::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:c0a8:101::1]/",
        "http://[fe80::1%25eth0]/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.0.0.1/",
        "http://0x7f000001/",
        "http://127.1/",
        "http://017700000001/",
        "http://127.0.0.1./",
        "https://192.168.0.1:8443/login"
      })
  void aNonPublicAddressIsRefused(String url) {
    JsonNode answer = fetch(workspace(), url);

    assertError(answer, "address_not_allowed", "is not fetched");
  }

  @Test
  void loopbackIsRefusedOutsideTheAllowedPrefix() {
    String path = "/private/" + UUID.randomUUID();
    SITE.stubFor(get(urlPathMatching(path)).willReturn(aResponse().withBody("internal")));

    JsonNode answer = fetch(workspace(), "http://127.0.0.1:" + SITE.port() + path);

    assertError(answer, "address_not_allowed", "127.0.0.1");
    assertThat(SITE.findAll(anyRequestedFor(urlPathMatching(path)))).isEmpty();
  }

  @Test
  void aNameThatResolvesToLoopbackIsRefusedWhenConnecting() {
    String path = "/site/" + UUID.randomUUID();
    SITE.stubFor(get(urlPathMatching(path)).willReturn(aResponse().withBody("internal")));

    JsonNode answer = fetch(workspace(), "http://localhost:" + SITE.port() + path);

    assertError(
        answer, "address_not_allowed", "The address localhost is not fetched: it resolves to");
    assertThat(SITE.findAll(anyRequestedFor(urlPathMatching(path)))).isEmpty();
  }
}
