package dev.beacon.alert.rule;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.entitlements.WorkspaceEntitlements;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the rule validator (with the configured Slack URL policy) and the rule service. */
@Configuration(proxyBeanMethods = false)
class RuleConfiguration {

  @Bean
  RuleValidator ruleValidator(AlertProperties properties) {
    return new RuleValidator(new SlackUrlPolicy(properties.slack().allowedUrlPrefixes()));
  }

  @Bean
  RuleService ruleService(
      RuleRepository rules,
      RuleValidator validator,
      LiveValues liveValues,
      ApplicationEventPublisher events,
      Clock clock,
      WorkspaceEntitlements entitlements) {
    return new RuleService(rules, validator, liveValues, events, clock, entitlements);
  }
}
