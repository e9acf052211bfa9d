package dev.beacon.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TopicsTests {

  @Test
  void listsEveryTopicInAStableOrderWithTheEventTopicsFirst() {
    assertThat(Topics.all())
        .extracting(Topic::name)
        .containsExactly(
            "obs.llm-calls.v1",
            "obs.tool-calls.v1",
            "obs.actions.v1",
            "obs.service-calls.v1",
            "obs.runs.v1",
            "obs.custom-events.v1",
            "obs.metric-updates.v1",
            "chat.turn-stops.v1");
  }

  @Test
  void eventTopicsAreEveryTopicExceptMetricUpdates() {
    assertThat(Topics.eventTopics())
        .containsExactly(
            Topics.LLM_CALLS,
            Topics.TOOL_CALLS,
            Topics.ACTIONS,
            Topics.SERVICE_CALLS,
            Topics.RUNS,
            Topics.CUSTOM_EVENTS);
    assertThat(Topics.all())
        .containsSubsequence(Topics.eventTopics())
        .endsWith(Topics.METRIC_UPDATES, Topics.CHAT_TURN_STOPS);
  }

  @Test
  void topicNamesFollowObsPluralTypeAndMajorVersion() {
    assertThat(Topics.all())
        .extracting(Topic::name)
        .doesNotHaveDuplicates()
        .allMatch(name -> name.matches("(obs|chat)\\.[a-z]+(-[a-z]+)*\\.v1"));
    assertThat(Topics.eventTopics())
        .extracting(Topic::name)
        .allMatch(name -> name.startsWith("obs."));
  }

  @ParameterizedTest
  @CsvSource({
    "LLM_CALL, obs.llm-calls.v1",
    "TOOL_CALL, obs.tool-calls.v1",
    "ACTION, obs.actions.v1",
    "SERVICE_CALL, obs.service-calls.v1",
    "RUN_START, obs.runs.v1",
    "RUN_END, obs.runs.v1",
    "CUSTOM, obs.custom-events.v1"
  })
  void routesEachEventTypeToItsTopic(EventType type, String topicName) {
    assertThat(Topics.forType(type).name()).isEqualTo(topicName);
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyEventTypeLandsOnAnEventTopic(EventType type) {
    assertThat(Topics.eventTopics()).contains(Topics.forType(type));
  }

  @Test
  void everyEventTopicReceivesAtLeastOneEventType() {
    assertThat(Topics.eventTopics())
        .allSatisfy(
            topic ->
                assertThat(EventType.values())
                    .anyMatch(type -> Topics.forType(type).equals(topic)));
  }

  @Test
  void eventTopicsCarryStringKeysAndObsEventValues() {
    assertThat(Topics.eventTopics())
        .allSatisfy(
            topic -> {
              assertThat(topic.keyType()).isEqualTo(String.class);
              assertThat(topic.valueType()).isEqualTo(ObsEvent.class);
            });
  }

  @Test
  void metricUpdatesCarryStringKeysAndMetricUpdateValues() {
    assertThat(Topics.METRIC_UPDATES.keyType()).isEqualTo(String.class);
    assertThat(Topics.METRIC_UPDATES.valueType()).isEqualTo(MetricUpdate.class);
  }

  @Test
  void turnStopsCarryStringKeysAndTurnStopValues() {
    assertThat(Topics.CHAT_TURN_STOPS.keyType()).isEqualTo(String.class);
    assertThat(Topics.CHAT_TURN_STOPS.valueType()).isEqualTo(TurnStop.class);
  }

  @Test
  void deadLetterTopicIsTheTopicNameWithDltSuffix() {
    assertThat(Topics.LLM_CALLS.deadLetterName()).isEqualTo("obs.llm-calls.v1.dlt");
    assertThat(Topics.METRIC_UPDATES.deadLetterName()).isEqualTo("obs.metric-updates.v1.dlt");
  }

  @Test
  void keysEventsByWorkspaceAndAgent() {
    assertThat(Topics.eventKey("ws_01JD8X3K9Q", "support-bot"))
        .isEqualTo("ws_01JD8X3K9Q:support-bot");
  }

  @Test
  void keyHasAnEmptyAgentPartWhenTheEventHasNoAgent() {
    assertThat(Topics.eventKey("ws_01JD8X3K9Q", null)).isEqualTo("ws_01JD8X3K9Q:");
  }

  @Test
  void keyRequiresAWorkspace() {
    assertThatNullPointerException()
        .isThrownBy(() -> Topics.eventKey(null, "support-bot"))
        .withMessageContaining("workspaceId");
  }
}
