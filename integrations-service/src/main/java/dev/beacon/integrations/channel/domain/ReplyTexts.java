package dev.beacon.integrations.channel.domain;

import dev.beacon.events.TurnStop;

/**
 * What a Telegram or Discord chat is told of a turn: the agent's answer, and in plain sentences
 * what it waits for, what was decided in Beacon and what failed (docs/integrations.md, "What
 * happens to a message").
 */
final class ReplyTexts {

  private final String publicUrl;

  ReplyTexts(String publicUrl) {
    this.publicUrl = publicUrl;
  }

  String publicUrl() {
    return publicUrl;
  }

  /** The turn's stream broke off; the turn goes on in chat and its answer comes to the chat. */
  String streamLost() {
    return "Beacon lost the agent's answer on its way; it will be sent here when it is ready.";
  }

  /** The turn waits for a person in Beacon; its answer comes to the chat once decided. */
  String approvalWaiting(boolean another) {
    return (another ? "Another approval" : "An approval")
        + " is waiting in Beacon: "
        + publicUrl
        + "/approvals — the agent goes on once it is decided, and its answer will be sent here.";
  }

  /** The relay stopped waiting for the agent; the answer comes to the chat when it is ready. */
  String notYet(long seconds, java.util.UUID conversation) {
    return "The agent has not answered within "
        + seconds
        + " seconds; its answer will be sent here when it is ready (and is in the conversation in"
        + " Beacon: "
        + publicUrl
        + "/chat/"
        + conversation
        + ").";
  }

  /** A message for a turn that chat refused or that failed: one sentence. */
  String failure(String code, String message) {
    return switch (code) {
      case "turn_in_progress" ->
          "The agent is still busy with an earlier message (or waits for an approval in Beacon: "
              + publicUrl
              + "/approvals); send this again once it has answered.";
      case "turn_timeout", "chat_unavailable", "turn_interrupted" -> message;
      default -> "The agent could not answer: " + message;
    };
  }

  /**
   * A stop from {@code chat.turn-stops.v1}: the approvals decided since the last stop, the answer,
   * then what the turn waits for or why it failed.
   */
  String of(TurnStop stop) {
    StringBuilder reply = new StringBuilder();
    for (TurnStop.Decision decision : stop.decisions()) {
      paragraph(reply, decided(decision));
    }
    if (stop.answer() != null && !stop.answer().isBlank()) {
      paragraph(reply, stop.answer());
    }
    if (TurnStop.AWAITING_APPROVAL.equals(stop.state())) {
      paragraph(reply, approvalWaiting(stop.stop() > 1));
    } else if (stop.error() != null) {
      paragraph(
          reply,
          failure(
              stop.error().type() == null ? "turn_failed" : stop.error().type(),
              stop.error().message() == null ? "the turn failed." : stop.error().message()));
    }
    if (reply.isEmpty()) {
      reply.append("The agent answered without any text.");
    }
    return reply.toString();
  }

  /** The answer of a turn's first stop as the relay read it from the stream. */
  String of(String answer, boolean awaitingApproval, String errorCode, String errorMessage) {
    StringBuilder reply = new StringBuilder();
    if (answer != null) {
      reply.append(answer);
    }
    if (awaitingApproval) {
      paragraph(reply, approvalWaiting(false));
    } else if (errorCode != null) {
      paragraph(reply, failure(errorCode, errorMessage));
    }
    if (reply.isEmpty()) {
      reply.append("The agent answered without any text.");
    }
    return reply.toString();
  }

  private static String decided(TurnStop.Decision decision) {
    String tool = decision.tool();
    return switch (decision.state()) {
      case "executed" -> "Approved in Beacon: " + tool + " ran.";
      case "failed" -> "Approved in Beacon, but " + tool + " failed.";
      case "rejected" ->
          "Rejected in Beacon: "
              + tool
              + " was not run."
              + (decision.reason() == null || decision.reason().isBlank()
                  ? ""
                  : " Reason: " + decision.reason());
      case "expired" -> "Nobody decided on " + tool + " in Beacon in time: it was not run.";
      default -> tool + ": " + decision.state() + ".";
    };
  }

  private static void paragraph(StringBuilder reply, String text) {
    if (!reply.isEmpty()) {
      reply.append("\n\n");
    }
    reply.append(text);
  }
}
