package dev.beacon.alert.evaluation;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.notification.NotificationRepository;
import dev.beacon.alert.notification.NotificationStream;
import dev.beacon.alert.rule.RuleRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import tools.jackson.databind.ObjectMapper;

/** Wires the metric store, the engine, the metric-update listener and the timer. */
@Configuration(proxyBeanMethods = false)
class EvaluationConfiguration {

  @Bean
  MetricStore metricStore() {
    return new MetricStore();
  }

  @Bean
  TransitionRecorder transitionRecorder(
      DatabaseClient db,
      TransactionalOperator tx,
      NotificationRepository notifications,
      ObjectMapper json) {
    return new TransitionRecorder(db, tx, notifications, json);
  }

  @Bean(destroyMethod = "close")
  AlertEngine alertEngine(
      MetricStore store,
      RuleRepository rules,
      TransitionRecorder recorder,
      NotificationStream stream,
      ApplicationEventPublisher events,
      AlertProperties properties,
      Clock clock,
      MeterRegistry meters) {
    return new AlertEngine(store, rules, recorder, stream, events, properties, clock, meters);
  }

  @Bean
  MetricUpdateListener metricUpdateListener(
      MetricStore store, AlertEngine engine, ObjectMapper json, Clock clock, MeterRegistry meters) {
    return new MetricUpdateListener(store, engine, json, clock, meters);
  }

  @Bean
  EvaluationTimer evaluationTimer(AlertEngine engine, MetricUpdateListener listener) {
    return new EvaluationTimer(engine, listener);
  }
}
