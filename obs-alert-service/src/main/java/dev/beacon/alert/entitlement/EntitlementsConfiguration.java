package dev.beacon.alert.entitlement;

import dev.beacon.alert.config.AlertProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/** Wires the entitlements store (Free's limit from configuration) and its topic listener. */
@Configuration(proxyBeanMethods = false)
class EntitlementsConfiguration {

  @Bean
  AlertEntitlements alertEntitlements(AlertProperties properties) {
    return new AlertEntitlements(properties.freeAlertRules());
  }

  @Bean
  EntitlementsListener entitlementsListener(AlertEntitlements entitlements, ObjectMapper json) {
    return new EntitlementsListener(entitlements, json);
  }
}
