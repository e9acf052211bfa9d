package dev.beacon.integrations;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.BeaconInfrastructure;
import dev.beacon.testsupport.IntegrationTest;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outside world of the integrations tests, once per JVM: one WireMock server playing the web
 * sites {@code web_fetch} reads. Only its {@code /site/} paths are allowlisted ({@code
 * beacon.integrations.web.allowed-url-prefixes}); everything else on it is a loopback address like
 * any other. The fetch timeout is 2 s so that the timeout test is quick. A second server, {@link
 * #PROVIDERS}, plays Google, Slack, GitHub, Notion, Todoist, Dropbox and Spotify (their OAuth
 * endpoints and their APIs), Binance and Brave Search under {@code /binance} and {@code /brave},
 * and, for channels and the Telegram tool, Telegram, Discord and chat-service under {@code
 * /telegram}, {@code /discord} and {@code /chat}. Tests that extend this class share one
 * application context.
 */
@IntegrationTest
public abstract class IntegrationsStandIns {

  public static final JsonMapper JSON = JsonMapper.builder().build();
  public static final WireMockServer SITE =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());

  /** The providers' OAuth, account and API endpoints, each under its own path prefix. */
  public static final WireMockServer PROVIDERS =
      new WireMockServer(WireMockConfiguration.options().dynamicPort());

  /** The one Google tool whose timeout is 1 s (the others' is 5 s), for the timeout tests. */
  public static final String SHORT_TIMEOUT_TOOL = "drive.search";

  /**
   * The tools of Notion, Todoist, Dropbox and Spotify: their timeout is 2 s, so that each one's
   * timeout test is quick.
   */
  public static final List<String> TWO_SECOND_TOOLS =
      List.of(
          "notion.search",
          "notion.create_page",
          "todoist.add_task",
          "todoist.list_tasks",
          "dropbox.search",
          "spotify.search",
          "spotify.play");

  /** The credential providers' tools whose timeout is 2 s, for their timeout tests. */
  public static final List<String> CREDENTIAL_TIMEOUT_TOOLS =
      List.of("binance.place_order", "telegram.send_message", "web_search");

  /** A Tink AES256-GCM keyset, new per JVM. */
  public static final String KEYSET = keyset();

  /** The public URL the redirect URIs are under (nothing listens there). */
  public static final String PUBLIC_URL = "https://beacon.example";

  static {
    SITE.start();
    PROVIDERS.start();
    Runtime.getRuntime().addShutdownHook(new Thread(SITE::stop, "integrations-site-stop"));
    Runtime.getRuntime()
        .addShutdownHook(new Thread(PROVIDERS::stop, "integrations-providers-stop"));
  }

  @Autowired protected WebTestClient web;
  @Autowired protected IdentitySigner signer;

  @DynamicPropertySource
  static void standIns(DynamicPropertyRegistry registry) {
    registry.add("beacon.integrations.web.allowed-url-prefixes", IntegrationsStandIns::sitePrefix);
    registry.add("beacon.integrations.web.timeout", () -> "2s");
    registry.add("beacon.integrations.public-url", () -> PUBLIC_URL);
    registry.add("beacon.integrations.encryption.keyset", () -> KEYSET);
    String base = "http://127.0.0.1:" + PROVIDERS.port();
    for (String provider :
        List.of("google", "slack", "github", "notion", "todoist", "dropbox", "spotify")) {
      String prefix = "beacon.integrations.oauth." + provider + ".";
      registry.add(prefix + "client-id", () -> provider + "-client-id");
      registry.add(prefix + "client-secret", () -> provider + "-client-secret");
      registry.add(prefix + "authorization-uri", () -> base + "/" + provider + "/authorize");
      registry.add(prefix + "token-uri", () -> base + "/" + provider + "/token");
    }
    registry.add("beacon.integrations.oauth.google.revocation-uri", () -> base + "/google/revoke");
    registry.add("beacon.integrations.oauth.google.account-uri", () -> base + "/google/userinfo");
    registry.add(
        "beacon.integrations.oauth.slack.revocation-uri", () -> base + "/slack/auth.revoke");
    registry.add(
        "beacon.integrations.oauth.github.revocation-uri",
        () -> base + "/github/applications/{client_id}/grant");
    registry.add("beacon.integrations.oauth.github.account-uri", () -> base + "/github/user");
    registry.add("beacon.integrations.oauth.notion.revocation-uri", () -> base + "/notion/revoke");
    registry.add(
        "beacon.integrations.oauth.todoist.revocation-uri", () -> base + "/todoist/revoke");
    registry.add("beacon.integrations.oauth.todoist.account-uri", () -> base + "/todoist/user");
    registry.add(
        "beacon.integrations.oauth.dropbox.revocation-uri",
        () -> base + "/dropbox/2/auth/token/revoke");
    registry.add(
        "beacon.integrations.oauth.dropbox.account-uri",
        () -> base + "/dropbox/2/users/get_current_account");
    registry.add("beacon.integrations.oauth.spotify.account-uri", () -> base + "/spotify/me");
    registry.add("beacon.integrations.providers.gmail-url", () -> base + "/gmail-api");
    registry.add("beacon.integrations.providers.calendar-url", () -> base + "/googleapis");
    registry.add("beacon.integrations.providers.drive-url", () -> base + "/googleapis");
    registry.add("beacon.integrations.providers.slack-url", () -> base + "/slack-api");
    registry.add("beacon.integrations.providers.github-url", () -> base + "/github-api");
    registry.add("beacon.integrations.providers.notion-url", () -> base + "/notion-api");
    registry.add("beacon.integrations.providers.todoist-url", () -> base + "/todoist-api");
    registry.add("beacon.integrations.providers.dropbox-url", () -> base + "/dropbox-api");
    registry.add("beacon.integrations.providers.spotify-url", () -> base + "/spotify-api");
    registry.add("beacon.integrations.providers.binance-url", () -> base + "/binance");
    registry.add("beacon.integrations.providers.telegram-url", () -> base + "/telegram");
    registry.add("beacon.integrations.providers.web-search.url", () -> base + "/brave");
    registry.add("beacon.integrations.providers.timeout", () -> "5s");
    registry.add("beacon.integrations.channels.chat-url", () -> base + "/chat");
    registry.add("beacon.integrations.channels.telegram-url", () -> base + "/telegram");
    registry.add("beacon.integrations.channels.discord-url", () -> base + "/discord");
    registry.add("beacon.integrations.channels.turn-timeout", () -> "3s");
    registry.add(
        "beacon.integrations.providers.tool-timeouts[" + SHORT_TIMEOUT_TOOL + "]", () -> "1s");
    for (String tool :
        java.util.stream.Stream.concat(TWO_SECOND_TOOLS.stream(), CREDENTIAL_TIMEOUT_TOOLS.stream())
            .toList()) {
      registry.add("beacon.integrations.providers.tool-timeouts[" + tool + "]", () -> "2s");
    }
  }

  private static String keyset() {
    try {
      AeadConfig.register();
      return TinkJsonProtoKeysetFormat.serializeKeyset(
          KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
          InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The allowlisted part of the site: {@code http://127.0.0.1:<port>/site/}. */
  public static String sitePrefix() {
    return "http://127.0.0.1:" + SITE.port() + "/site/";
  }

  /** A workspace id no other test uses. */
  public static String workspace() {
    return UUID.randomUUID().toString();
  }

  /** A path under {@code /site/} no other test uses. */
  public static String sitePath(String name) {
    return "/site/" + UUID.randomUUID() + "/" + name;
  }

  protected String as(String workspace, Role role) {
    return signer.sign("user-" + role.claimValue(), workspace, role);
  }

  /** Executes a tool as a member; the 200 answer's body. */
  protected JsonNode execute(String workspace, String tool, Map<String, ?> body) {
    byte[] answer =
        web.post()
            .uri("/api/integrations/tools/{name}/execute", tool)
            .header(ForwardedIdentity.HEADER, as(workspace, Role.MEMBER))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(answer);
  }

  /** Executes {@code web_fetch} of {@code url} as a member; the 200 answer's body. */
  protected JsonNode fetch(String workspace, String url) {
    return execute(
        workspace, "web_fetch", Map.of("arguments", Map.of("url", url), "call_id", "call_1"));
  }

  /** Reads every Beacon event topic from the start, in the background, for the tests' asserts. */
  public static final class EventLog {

    /** One record read: its topic, its key and its event. */
    public record Received(String topic, String key, ObsEvent event) {}

    private static final List<Received> EVENTS = new CopyOnWriteArrayList<>();
    private static volatile boolean started;

    private EventLog() {}

    /**
     * Every event of the workspace seen on Kafka so far, but the {@code service_call}s of
     * connecting itself (code exchange, account, refresh, revoke: {@link #oauthOf}), which the
     * tests that count a tool's calls do not make.
     */
    public static List<Received> of(String workspaceId) {
      return matching(workspaceId, false);
    }

    /** The workspace's {@code service_call}s of OAuth calls ({@code purpose: oauth}). */
    public static List<Received> oauthOf(String workspaceId) {
      return matching(workspaceId, true);
    }

    private static List<Received> matching(String workspaceId, boolean oauth) {
      start();
      List<Received> found = new ArrayList<>();
      for (Received received : EVENTS) {
        boolean isOauth =
            received.event().metadata() != null
                && "oauth".equals(received.event().metadata().get("purpose"));
        if (workspaceId.equals(received.event().workspaceId()) && isOauth == oauth) {
          found.add(received);
        }
      }
      return found;
    }

    /** Starts reading before the events a test waits for are published. */
    public static synchronized void start() {
      if (started) {
        return;
      }
      started = true;
      Thread reader = new Thread(EventLog::read, "integrations-test-event-log");
      reader.setDaemon(true);
      reader.start();
    }

    private static void read() {
      Map<String, Object> config =
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
              BeaconInfrastructure.get().kafkaBootstrapServers(),
              ConsumerConfig.GROUP_ID_CONFIG,
              "integrations-tests-" + UUID.randomUUID(),
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
              "earliest",
              ConsumerConfig.METADATA_MAX_AGE_CONFIG,
              1000);
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(Topics.eventTopics().stream().map(t -> t.name()).toList());
        while (true) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            EVENTS.add(
                new Received(
                    record.topic(), record.key(), JSON.readValue(record.value(), ObsEvent.class)));
          }
        }
      }
    }
  }
}
