package dev.beacon.alert.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.alert.AlertTestKit;
import dev.beacon.alert.SlackStub;
import dev.beacon.alert.TinySmtpServer;
import dev.beacon.events.EventType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** E-mail notifications go through Spring Mail to an SMTP server (a tiny in-JVM one here). */
class EmailDeliveryKafkaTests extends AlertTestKit {

  @Test
  void sendsAnEmailForATransition() {
    String ws = newWorkspace();
    String to = "ops+" + ws + "@example.com";
    createRule(
        ws,
        """
        {"name": "Mail me", "metric": "calls", "window": "1h", "comparator": "gte",
         "critical_threshold": "2", "renotify_minutes": 0,
         "channels": [{"type": "email", "to": "%s"}]}
        """
            .formatted(to));
    publish(update(ws, "bot", EventType.TOOL_CALL, "search", totals(4, 0, 0)));

    TinySmtpServer smtp = SlackStub.smtp();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> smtp.messages().stream().anyMatch(m -> m.recipients().contains(to)));
    TinySmtpServer.Message mail =
        smtp.messages().stream().filter(m -> m.recipients().contains(to)).findFirst().orElseThrow();
    assertThat(mail.data())
        .contains("Subject: [CRITICAL] Mail me")
        .contains("https://beacon.example.com/alerts?rule=");
  }
}
