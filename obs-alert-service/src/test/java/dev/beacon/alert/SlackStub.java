package dev.beacon.alert;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.util.Map;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the WireMock server that plays Slack (and the aggregator's read API) and a tiny SMTP
 * server once per test JVM, before any application context, and points every context at it with the
 * tests' short timings as system properties: so all test classes, {@code AlertApplicationTests}
 * included, share one cached context, and hand-started applications (the restart test) get the same
 * settings.
 */
public class SlackStub implements LauncherSessionListener {

  private static WireMockServer server;
  private static TinySmtpServer smtp;

  /** The running server. */
  public static synchronized WireMockServer server() {
    if (server == null) {
      server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
      server.start();
      try {
        smtp = new TinySmtpServer();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      testProperties().forEach(System::setProperty);
    }
    return server;
  }

  /** The SMTP server every context sends e-mail to. */
  public static synchronized TinySmtpServer smtp() {
    server();
    return smtp;
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    server();
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    synchronized (SlackStub.class) {
      if (server != null) {
        server.stop();
        server = null;
      }
    }
  }

  /** A rule "minute" lasts one second, the timer ticks every second, back-offs are short. */
  static Map<String, String> testProperties() {
    return Map.ofEntries(
        Map.entry("beacon.alert.slack.allowed-url-prefixes", server.baseUrl() + "/"),
        Map.entry("beacon.alert.aggregator-url", server.baseUrl()),
        Map.entry("beacon.alert.aggregator-timeout", "2s"),
        Map.entry("beacon.alert.public-url", "https://beacon.example.com"),
        Map.entry("beacon.alert.minute-length", "1s"),
        Map.entry("beacon.alert.tick", "1s"),
        Map.entry("beacon.alert.slack.initial-backoff", "200ms"),
        Map.entry("beacon.alert.slack.rate-period", "200ms"),
        Map.entry("beacon.alert.outbox.poll-interval", "200ms"),
        Map.entry("beacon.alert.outbox.retry-backoff", "1s"),
        Map.entry("spring.kafka.listener.idle-event-interval", "500ms"),
        Map.entry("spring.mail.host", "127.0.0.1"),
        Map.entry("spring.mail.port", String.valueOf(smtp.port())));
  }
}
