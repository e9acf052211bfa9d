package dev.beacon.integrations.webfetch;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The first gate of every request {@code web_fetch} makes, the first and each redirect: an http or
 * https URL without user info, whose host is a DNS name (checked again on the addresses it resolves
 * to, at connect time, by {@link PublicAddressResolverGroup}) or a public IP address in its
 * canonical form. IPv4 written any other way — one decimal number ({@code 2130706433}), octal
 * ({@code 0177.0.0.1}), hex ({@code 0x7f.0.0.1}), shortened ({@code 127.1}) — is refused outright:
 * resolvers and browsers read those forms differently, so none can be checked safely. URLs under a
 * configured allowed prefix skip the address checks.
 */
final class UrlCheck {

  /** A URL that may be requested, with or without the public-address check at connect time. */
  record Target(URI uri, boolean allowlisted) {}

  /** Why a URL may not be requested: {@code invalid_url} or {@code address_not_allowed}. */
  static final class Refusal extends Exception {
    private final String code;

    Refusal(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  private static final int MAX_URL_LENGTH = 2048;
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
  private static final Pattern DOTTED_DECIMAL =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

  private final List<String> allowedPrefixes;

  UrlCheck(List<String> allowedPrefixes) {
    this.allowedPrefixes = List.copyOf(allowedPrefixes);
  }

  Target check(String url) throws Refusal {
    if (url == null || url.isBlank()) {
      throw invalid("The URL is empty.");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw invalid("The URL is longer than " + MAX_URL_LENGTH + " characters.");
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == '\\') {
        throw invalid("The URL contains spaces, control characters or backslashes.");
      }
    }
    URI uri;
    try {
      uri = new URI(url).normalize();
    } catch (URISyntaxException e) {
      throw invalid("The URL is not valid: " + e.getReason() + ".");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid("Only http and https URLs can be fetched.");
    }
    String authority = uri.getRawAuthority();
    if (uri.isOpaque() || authority == null || authority.isEmpty()) {
      throw invalid("The URL has no host.");
    }
    if (authority.contains("@")) {
      throw invalid("URLs with user names or passwords are not fetched.");
    }
    if (isAllowlisted(uri.toString())) {
      if (uri.getHost() == null) {
        throw invalid("The URL's host is not valid.");
      }
      return new Target(uri, true);
    }
    String host = uri.getHost() != null ? uri.getHost() : hostOf(authority);
    checkLiteral(host.toLowerCase(Locale.ROOT));
    if (uri.getHost() == null) {
      throw invalid("The URL's host is not valid.");
    }
    return new Target(uri, false);
  }

  private boolean isAllowlisted(String url) {
    for (String prefix : allowedPrefixes) {
      if (url.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Refuses IP literals that are not public, and IPv4 in any form but dotted decimal. */
  private static void checkLiteral(String host) throws Refusal {
    if (host.startsWith("[")) {
      String literal = host.substring(1, host.length() - (host.endsWith("]") ? 1 : 0));
      if (literal.contains("%")) {
        throw refused(host, "it names a network interface (an IPv6 zone).");
      }
      refuseUnlessPublic(host, literal);
      return;
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String lastLabel = name.substring(name.lastIndexOf('.') + 1);
    if (!NUMERIC_LABEL.matcher(lastLabel).matches()) {
      return;
    }
    if (!DOTTED_DECIMAL.matcher(name).matches()) {
      throw refused(
          host, "IPv4 addresses are fetched only in dotted decimal form (like 93.184.215.14).");
    }
    refuseUnlessPublic(host, name);
  }

  private static void refuseUnlessPublic(String host, String literal) throws Refusal {
    InetAddress address;
    try {
      address = InetAddress.getByName(literal);
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw invalid("The URL's host is not a valid IP address.");
    }
    if (!PublicAddresses.isPublic(address)) {
      throw refused(host, "it is a private, loopback or otherwise non-public address.");
    }
  }

  /** The host of an authority {@link URI} could not split: without the port. */
  private static String hostOf(String authority) {
    int colon = authority.lastIndexOf(':');
    return colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
  }

  private static Refusal invalid(String message) {
    return new Refusal("invalid_url", message);
  }

  private static Refusal refused(String host, String why) {
    return new Refusal("address_not_allowed", "The address " + host + " is not fetched: " + why);
  }
}
