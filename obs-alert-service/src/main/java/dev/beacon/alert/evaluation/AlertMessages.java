package dev.beacon.alert.evaluation;

import dev.beacon.alert.delivery.AlertMessage;
import dev.beacon.alert.rule.Rule;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/** What a notification about a transition or a renotify says, on every channel. */
final class AlertMessages {

  private final String publicUrl;

  AlertMessages(String publicUrl) {
    this.publicUrl = publicUrl.replaceAll("/+$", "");
  }

  /** The message about a notifying step, or {@code null} for a silent one. */
  AlertMessage about(Rule rule, String group, Step step, Instant now) {
    if (step instanceof Step.Transition t) {
      return message(
          rule, group, t.next().state().eventName(), t.next().value(), t.threshold(), now, false);
    }
    if (step instanceof Step.Renotify r) {
      return message(
          rule, group, r.next().state().wire(), r.next().value(), r.threshold(), now, true);
    }
    return null;
  }

  private AlertMessage message(
      Rule rule,
      String group,
      String severity,
      BigDecimal value,
      BigDecimal threshold,
      Instant now,
      boolean renotify) {
    String scope = rule.groupBy() == null ? "" : " · " + rule.groupBy().wire() + " " + group;
    String title =
        "["
            + (severity.equals("no_data") ? "NO DATA" : severity.toUpperCase(Locale.ROOT))
            + "] "
            + rule.name()
            + scope
            + (renotify ? " (still)" : "");
    String shown = value == null ? "no data" : value.toPlainString();
    String body =
        severity.equals("resolved")
            ? rule.metric().wire()
                + " over "
                + rule.window().wire()
                + " is back to "
                + shown
                + " (threshold "
                + rule.comparator().wire()
                + " "
                + plain(threshold)
                + ")."
            : rule.metric().wire()
                + " over "
                + rule.window().wire()
                + " is "
                + shown
                + " ("
                + (severity.equals("no_data")
                    ? "no data in the window"
                    : severity + " threshold " + rule.comparator().wire() + " " + plain(threshold))
                + ").";
    return new AlertMessage(
        severity.equals("no_data") ? "warning" : severity,
        title,
        body,
        rule.name(),
        group,
        rule.groupBy() == null ? null : rule.groupBy().wire(),
        rule.metric().wire(),
        value == null ? null : value.toPlainString(),
        plain(threshold),
        rule.comparator().wire(),
        rule.window().wire(),
        publicUrl + "/alerts?rule=" + rule.id(),
        now);
  }

  private static String plain(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }
}
