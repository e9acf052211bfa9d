package dev.beacon.integrations.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code beacon.integrations.*}.
 *
 * @param web the built-in {@code web_fetch} tool
 * @param events publishing {@code service_call} events
 * @param publicUrl where browsers reach Beacon (the gateway): OAuth redirect URIs and the page a
 *     finished connection returns to are under it
 * @param oauth the OAuth providers a workspace can connect
 * @param encryption the keyset that encrypts OAuth tokens at rest
 * @param providers the provider APIs the tools of connected integrations call
 */
@ConfigurationProperties("beacon.integrations")
public record IntegrationsProperties(
    @DefaultValue Web web,
    @DefaultValue Events events,
    @DefaultValue("http://localhost:8080") String publicUrl,
    @DefaultValue OAuth oauth,
    @DefaultValue Encryption encryption,
    @DefaultValue Providers providers) {

  public IntegrationsProperties {
    publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  /**
   * The OAuth providers. Defaults (endpoints, scopes) are each provider's real ones, in {@code
   * application.yml}; a provider without a client id is not configured and cannot be connected.
   *
   * @param stateTtl how long an authorization's {@code state} stays valid
   * @param refreshBefore a token with less than this left is refreshed before it is used
   */
  public record OAuth(
      @DefaultValue Provider google,
      @DefaultValue Provider slack,
      @DefaultValue Provider github,
      @DefaultValue Provider notion,
      @DefaultValue Provider todoist,
      @DefaultValue Provider dropbox,
      @DefaultValue Provider spotify,
      @DefaultValue("10m") Duration stateTtl,
      @DefaultValue("60s") Duration refreshBefore) {}

  /**
   * One OAuth provider.
   *
   * @param clientId the OAuth client (app) id; blank: not configured
   * @param clientSecret its secret
   * @param authorizationUri where the browser is sent to consent
   * @param tokenUri code exchange and refresh
   * @param revocationUri where a disconnect revokes the token; blank: the provider has none
   * @param accountUri the call that names the connected account (user info, {@code /user})
   * @param scopes the scopes asked for
   */
  public record Provider(
      String clientId,
      String clientSecret,
      String authorizationUri,
      String tokenUri,
      String revocationUri,
      String accountUri,
      @DefaultValue List<String> scopes) {

    public boolean configured() {
      return clientId != null && !clientId.isBlank();
    }

    /** Keeps the secret out of logs and error reports. */
    @Override
    public String toString() {
      return "Provider[clientId=" + clientId + ", authorizationUri=" + authorizationUri + "]";
    }
  }

  /**
   * The provider APIs the tools of connected integrations call. The defaults are the real ones;
   * tests and local stand-ins point them elsewhere.
   *
   * @param gmailUrl Gmail's API ({@code /gmail/v1/...} is under it)
   * @param calendarUrl Google Calendar's API ({@code /calendar/v3/...})
   * @param driveUrl Google Drive's API ({@code /drive/v3/...})
   * @param slackUrl Slack's Web API ({@code /chat.postMessage} is under it)
   * @param githubUrl GitHub's REST API
   * @param notionUrl Notion's API ({@code /v1/search}, {@code /v1/pages} are under it)
   * @param todoistUrl Todoist's API ({@code /api/v1/tasks} is under it)
   * @param dropboxUrl Dropbox's RPC API ({@code /2/files/search_v2} is under it)
   * @param spotifyUrl Spotify's Web API ({@code /v1/search}, {@code /v1/me/player/play})
   * @param binanceUrl Binance's spot REST API ({@code /api/v3/...})
   * @param telegramUrl Telegram's Bot API ({@code /bot<token>/<method>})
   * @param webSearch the web search provider {@code web_search} calls, and Beacon's own key
   * @param binanceRecvWindow how long after its {@code timestamp} Binance may still execute a
   *     signed request ({@code recvWindow}, at most 60 s)
   * @param timeout one tool execution, all its calls included, unless {@code toolTimeouts} says
   *     otherwise
   * @param toolTimeouts per tool name ({@code "[gmail.search]": 20s})
   * @param maxResultChars the longest result text
   * @param maxAnswerSize the largest provider answer read; a larger one is a {@code provider_error}
   * @param userAgent sent with every call (GitHub requires one)
   */
  public record Providers(
      @DefaultValue("https://gmail.googleapis.com") String gmailUrl,
      @DefaultValue("https://www.googleapis.com") String calendarUrl,
      @DefaultValue("https://www.googleapis.com") String driveUrl,
      @DefaultValue("https://slack.com/api") String slackUrl,
      @DefaultValue("https://api.github.com") String githubUrl,
      @DefaultValue("https://api.notion.com") String notionUrl,
      @DefaultValue("https://api.todoist.com") String todoistUrl,
      @DefaultValue("https://api.dropboxapi.com") String dropboxUrl,
      @DefaultValue("https://api.spotify.com") String spotifyUrl,
      @DefaultValue("https://api.binance.com") String binanceUrl,
      @DefaultValue("https://api.telegram.org") String telegramUrl,
      @DefaultValue WebSearch webSearch,
      @DefaultValue("5s") Duration binanceRecvWindow,
      @DefaultValue("10s") Duration timeout,
      Map<String, Duration> toolTimeouts,
      @DefaultValue("16000") int maxResultChars,
      @DefaultValue("1MB") DataSize maxAnswerSize,
      @DefaultValue("Beacon-Integrations/1.0 (+https://github.com/beacon-dev/beacon)")
          String userAgent) {

    public Providers {
      gmailUrl = withoutTrailingSlash(gmailUrl);
      calendarUrl = withoutTrailingSlash(calendarUrl);
      driveUrl = withoutTrailingSlash(driveUrl);
      slackUrl = withoutTrailingSlash(slackUrl);
      githubUrl = withoutTrailingSlash(githubUrl);
      notionUrl = withoutTrailingSlash(notionUrl);
      todoistUrl = withoutTrailingSlash(todoistUrl);
      dropboxUrl = withoutTrailingSlash(dropboxUrl);
      spotifyUrl = withoutTrailingSlash(spotifyUrl);
      binanceUrl = withoutTrailingSlash(binanceUrl);
      telegramUrl = withoutTrailingSlash(telegramUrl);
      if (binanceRecvWindow.toMillis() < 1 || binanceRecvWindow.toMillis() > 60_000) {
        throw new IllegalArgumentException(
            "beacon.integrations.providers.binance-recv-window must be between 1ms and 60s");
      }
      toolTimeouts = toolTimeouts == null ? Map.of() : Map.copyOf(toolTimeouts);
      for (Duration d : toolTimeouts.values()) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException(
              "beacon.integrations.providers.tool-timeouts must be positive");
        }
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "beacon.integrations.providers.timeout must be positive");
      }
      if (maxResultChars < 1000) {
        throw new IllegalArgumentException(
            "beacon.integrations.providers.max-result-chars must be at least 1000");
      }
    }

    /** The time one execution of the tool may take. */
    public Duration timeoutOf(String tool) {
      return toolTimeouts.getOrDefault(tool, timeout);
    }

    private static String withoutTrailingSlash(String url) {
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
  }

  /**
   * The web search provider, the Brave Search API, and Beacon's own key for it. With a key, {@code
   * web_search} is offered to every workspace; a workspace that connects a key of its own uses that
   * one instead.
   *
   * @param url the Brave Search API ({@code /res/v1/web/search} is under it)
   * @param apiKey {@code BEACON_INTEGRATIONS_WEB_SEARCH_API_KEY}; blank: only workspaces with a
   *     connection have {@code web_search}
   */
  public record WebSearch(@DefaultValue("https://api.search.brave.com") String url, String apiKey) {

    public WebSearch {
      url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public boolean configured() {
      return apiKey != null && !apiKey.isBlank();
    }

    /** Keeps the key out of logs and error reports. */
    @Override
    public String toString() {
      return "WebSearch[url=" + url + ", apiKey=" + (configured() ? "<hidden>" : "<unset>") + "]";
    }
  }

  /**
   * @param keyset the Tink AEAD keyset ({@code BEACON_INTEGRATIONS_KEYSET}): Tink's JSON keyset
   *     format, or that JSON in base64; unset, connections cannot be made or used
   */
  public record Encryption(String keyset) {

    /** Keeps the keyset out of logs and error reports. */
    @Override
    public String toString() {
      return "Encryption[keyset="
          + (keyset == null || keyset.isBlank() ? "<unset>" : "<hidden>")
          + "]";
    }
  }

  /**
   * How {@code web_fetch} fetches pages.
   *
   * @param allowedUrlPrefixes URL prefixes allowed even on private addresses: self-hosted services,
   *     tests. Empty by default; a prefix should end with {@code /}, since it is matched as a plain
   *     string prefix
   * @param timeout the whole fetch, redirects included
   * @param maxBodySize how much of a response body is read; the rest is never read
   * @param maxRedirects redirects followed (each re-checked) before the fetch fails
   * @param maxResultChars the longest result text; the model sees no more than this
   * @param userAgent the {@code User-Agent} every request sends
   */
  public record Web(
      @DefaultValue List<String> allowedUrlPrefixes,
      @DefaultValue("10s") Duration timeout,
      @DefaultValue("2MB") DataSize maxBodySize,
      @DefaultValue("5") int maxRedirects,
      @DefaultValue("16000") int maxResultChars,
      @DefaultValue("Beacon-WebFetch/1.0 (+https://github.com/beacon-dev/beacon)")
          String userAgent) {

    public Web {
      allowedUrlPrefixes =
          allowedUrlPrefixes.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("beacon.integrations.web.timeout must be positive");
      }
      if (maxBodySize.toBytes() < 1024 || maxBodySize.toBytes() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "beacon.integrations.web.max-body-size must be between 1KB and 2GB");
      }
      if (maxRedirects < 0 || maxRedirects > 20) {
        throw new IllegalArgumentException(
            "beacon.integrations.web.max-redirects must be between 0 and 20");
      }
      if (maxResultChars < 100) {
        throw new IllegalArgumentException(
            "beacon.integrations.web.max-result-chars must be at least 100");
      }
      if (userAgent == null || userAgent.isBlank()) {
        throw new IllegalArgumentException("beacon.integrations.web.user-agent is required");
      }
    }
  }

  /**
   * Publishing events with the Java SDK's Kafka transport.
   *
   * @param enabled off only in tests that build parts by hand
   * @param bufferCapacity events buffered while Kafka is slow or down
   * @param deliveryTimeout how long the producer retries one event
   */
  public record Events(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("10000") int bufferCapacity,
      @DefaultValue("10m") Duration deliveryTimeout) {}
}
