package dev.beacon.integrations.webfetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses {@code web_fetch} may connect to without an allowlist entry: none that is
 * loopback, private (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10), link-local
 * (169.254/16, fe80::/10), unique-local (fc00::/7), site-local (fec0::/10), unspecified, multicast
 * or reserved (0/8, 240/4) — nor an IPv6 address that embeds one of those IPv4 addresses
 * (IPv4-mapped, IPv4-compatible, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}).
 *
 * <p>The IPv4 rules are obs-alert-service's {@code PublicAddressResolverGroup.isPublic} (copied:
 * services share no code outside libs/); the embedded-IPv4 forms are added here.
 */
final class PublicAddresses {

  private PublicAddresses() {}

  static boolean isPublic(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isSiteLocalAddress()
        || address.isLinkLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address) {
      if ((bytes[0] & 0xfe) == 0xfc) {
        return false;
      }
      byte[] embedded = embeddedIpv4(bytes);
      return embedded == null || isPublic(ipv4(embedded));
    }
    int first = bytes[0] & 0xff;
    int second = bytes[1] & 0xff;
    boolean carrierGradeNat = first == 100 && second >= 64 && second <= 127;
    boolean reserved = first == 0 || first >= 240;
    return !carrierGradeNat && !reserved;
  }

  /** The IPv4 address an IPv6 address carries, or {@code null}. */
  private static byte[] embeddedIpv4(byte[] v6) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) {
      zeroPrefix &= v6[i] == 0;
    }
    boolean mapped = zeroPrefix && (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff;
    boolean compatible = zeroPrefix && v6[10] == 0 && v6[11] == 0;
    boolean nat64 =
        (v6[0] & 0xff) == 0x00
            && (v6[1] & 0xff) == 0x64
            && (v6[2] & 0xff) == 0xff
            && (v6[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = v6[i] == 0;
    }
    if (mapped || compatible || nat64) {
      return new byte[] {v6[12], v6[13], v6[14], v6[15]};
    }
    if ((v6[0] & 0xff) == 0x20 && (v6[1] & 0xff) == 0x02) {
      return new byte[] {v6[2], v6[3], v6[4], v6[5]};
    }
    return null;
  }

  private static Inet4Address ipv4(byte[] bytes) {
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
