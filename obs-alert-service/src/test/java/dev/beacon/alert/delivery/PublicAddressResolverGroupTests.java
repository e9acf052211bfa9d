package dev.beacon.alert.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicAddressResolverGroupTests {

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(
      strings = {
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::"
      })
  void refusesPrivateLoopbackAndLinkLocalAddresses(String address) throws Exception {
    assertThat(PublicAddressResolverGroup.isPublic(InetAddress.getByName(address))).isFalse();
  }

  @ParameterizedTest(name = "{0} is allowed")
  @ValueSource(strings = {"54.192.0.1", "8.8.8.8", "2606:4700::1111"})
  void allowsPublicAddresses(String address) throws Exception {
    assertThat(PublicAddressResolverGroup.isPublic(InetAddress.getByName(address))).isTrue();
  }
}
