package dev.beacon.alert.rule;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which Slack webhook URLs a rule may hold: exactly {@code
 * https://hooks.slack.com/services/<team>/<bot>/<secret>}, or a URL under one of the configured
 * allowlisted prefixes (self-hosted relays, tests).
 *
 * <p>The check is deliberately strict and byte-level: ASCII only, no user info, no explicit port,
 * no query or fragment, no percent-encoding or backslashes, the host compared exactly (so {@code
 * hooks.slack.com.evil.com}, {@code hooks.slack.com.}, IP literals and punycode lookalikes fail).
 */
public final class SlackUrlPolicy {

  private static final Pattern SLACK_WEBHOOK =
      Pattern.compile(
          "https://hooks\\.slack\\.com/services/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+");
  private static final int MAX_LENGTH = 500;

  private final List<String> allowedPrefixes;

  public SlackUrlPolicy(List<String> allowedPrefixes) {
    this.allowedPrefixes = List.copyOf(allowedPrefixes);
  }

  /**
   * Why a URL is refused, or {@code null} when it is acceptable.
   *
   * @param url the URL as the user typed it
   */
  public String problem(String url) {
    if (url == null || url.isEmpty()) {
      return "webhook_url is required for a slack channel.";
    }
    if (url.length() > MAX_LENGTH) {
      return "webhook_url is longer than " + MAX_LENGTH + " characters.";
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '%') {
        return "webhook_url must be plain ASCII without spaces, backslashes or percent-encoding.";
      }
    }
    if (isAllowlisted(url)) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "webhook_url is not a valid URL.";
    }
    if (!"https".equals(uri.getScheme())) {
      return "webhook_url must use https.";
    }
    if (uri.getRawUserInfo() != null
        || uri.getRawAuthority() == null
        || uri.getRawAuthority().contains("@")) {
      return "webhook_url must not contain user info.";
    }
    if (uri.getPort() != -1 || uri.getRawAuthority().contains(":")) {
      return "webhook_url must not name a port.";
    }
    String host = uri.getHost();
    if (host == null || !host.equals("hooks.slack.com")) {
      return "webhook_url must point to hooks.slack.com.";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "webhook_url must not have a query or fragment.";
    }
    if (!SLACK_WEBHOOK.matcher(url).matches()) {
      return "webhook_url must look like https://hooks.slack.com/services/T…/B…/….";
    }
    return null;
  }

  /**
   * Whether the URL is under an allowlisted prefix; those may also reach private and loopback
   * addresses.
   */
  public boolean isAllowlisted(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    for (String prefix : allowedPrefixes) {
      if (!prefix.isBlank() && lower.startsWith(prefix.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The URL as shown in API responses: scheme, host, first path segment and the first two
   * characters of the next one, e.g. {@code https://hooks.slack.com/services/T0…}.
   */
  public static String mask(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      String[] segments = uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/");
      StringBuilder masked = new StringBuilder(uri.getScheme() + "://" + uri.getRawAuthority());
      if (segments.length > 1) {
        masked.append('/').append(segments[1]).append('/');
        if (segments.length > 2) {
          masked.append(segments[2], 0, Math.min(2, segments[2].length()));
        }
      }
      return masked.append('…').toString();
    } catch (URISyntaxException | RuntimeException e) {
      return "…";
    }
  }
}
