package dev.beacon.integrations.webfetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The URL and address rules, without the network. */
class UrlCheckTests {

  private final UrlCheck noPrefixes = new UrlCheck(List.of());

  @Test
  void withoutAnAllowedPrefixLoopbackIsRefused() {
    assertThatThrownBy(() -> noPrefixes.check("http://127.0.0.1:8089/site/page"))
        .isInstanceOfSatisfying(
            UrlCheck.Refusal.class, r -> assertThat(r.code()).isEqualTo("address_not_allowed"));
  }

  @Test
  void anAllowedPrefixLetsExactlyItsUrlsThrough() throws Exception {
    UrlCheck check = new UrlCheck(List.of("http://127.0.0.1:8089/site/"));

    assertThat(check.check("http://127.0.0.1:8089/site/page").allowlisted()).isTrue();
    assertThatThrownBy(() -> check.check("http://127.0.0.1:8089/other"))
        .isInstanceOf(UrlCheck.Refusal.class);
    assertThatThrownBy(() -> check.check("http://127.0.0.1:8089/site/../other"))
        .isInstanceOf(UrlCheck.Refusal.class);
    assertThatThrownBy(() -> check.check("http://127.0.0.1:80899/site/page"))
        .isInstanceOf(UrlCheck.Refusal.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://example.com/",
        "HTTPS://Example.COM:8443/a?b=c#d",
        "http://93.184.215.14/",
        "http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/",
        "https://localhost.example.com/",
        "https://10.example.com/"
      })
  void publicAddressesAndNamesPass(String url) throws Exception {
    UrlCheck.Target target = noPrefixes.check(url);

    assertThat(target.allowlisted()).isFalse();
    assertThat(target.uri().getHost()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1",
        "172.16.0.1",
        "192.168.255.255",
        "100.64.0.1",
        "100.127.255.255",
        "127.0.0.1",
        "169.254.1.1",
        "0.0.0.0",
        "224.0.0.251",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd00::1",
        "fec0::1",
        "ff02::1",
        "::ffff:192.168.0.1",
        "::10.0.0.1",
        "64:ff9b::7f00:1",
        "2002:a00:1::"
      })
  void nonPublicAddressesAreNotPublic(String literal) throws Exception {
    assertThat(PublicAddresses.isPublic(InetAddress.getByName(literal))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "93.184.215.14",
        "8.8.8.8",
        "100.63.255.255",
        "100.128.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "2606:4700:4700::1111",
        "64:ff9b::808:808",
        "2002:808:808::"
      })
  void publicAddressesArePublic(String literal) throws Exception {
    assertThat(PublicAddresses.isPublic(InetAddress.getByName(literal))).isTrue();
  }
}
