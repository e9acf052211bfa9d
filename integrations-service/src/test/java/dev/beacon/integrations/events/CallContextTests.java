package dev.beacon.integrations.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A W3C traceparent links a tool execution's events to the caller's span. */
class CallContextTests {

  @Test
  void aValidTraceparentGivesTheTraceAndTheParentSpan() {
    CallContext context =
        CallContext.of(
            "w", "agent", "run", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    assertThat(context.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(context.parentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(context.agentId()).isEqualTo("agent");
    assertThat(context.runId()).isEqualTo("run");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"
      })
  void anInvalidTraceparentIsIgnored(String traceparent) {
    CallContext context = CallContext.of("w", null, null, traceparent);

    assertThat(context.traceId())
        .matches("[0-9a-f]{32}")
        .isNotEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(context.parentSpanId()).isNull();
  }
}
