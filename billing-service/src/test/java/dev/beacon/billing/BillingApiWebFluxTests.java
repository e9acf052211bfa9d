package dev.beacon.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.billing.plan.domain.Entitlements;
import dev.beacon.billing.plan.domain.PlanCatalog;
import dev.beacon.billing.subscription.domain.EntitlementsPublisher;
import dev.beacon.entitlements.EntitlementsProperties;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The plans API, its access rules, and the entitlements topic as billing creates it. */
@IntegrationTest
class BillingApiWebFluxTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired PlanCatalog plans;

  @Value("${spring.kafka.bootstrap-servers}")
  String kafka;

  @Test
  void anyRoleReadsThePlansWithPricesAndEntitlements() {
    byte[] body =
        web.get()
            .uri("/api/billing/plans")
            .header(ForwardedIdentity.HEADER, signer.sign("user-1", "ws_plans", Role.VIEWER))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    JsonNode plans = JsonMapper.builder().build().readTree(body).path("plans");

    assertThat(plans.valueStream().map(p -> p.path("id").asString()))
        .containsExactly("free", "pro", "business", "enterprise");
    JsonNode free = plans.path(0);
    assertThat(free.path("price_cents_monthly").asLong()).isZero();
    assertThat(free.path("checkout_available").asBoolean()).isFalse();
    assertThat(free.path("entitlements").path("retention_days").asInt()).isEqualTo(7);
    assertThat(free.path("entitlements").path("events_per_month").asLong()).isEqualTo(100_000);
    assertThat(free.path("entitlements").path("alert_rules").asInt()).isEqualTo(3);
    assertThat(free.path("entitlements").path("members").asInt()).isEqualTo(3);
    assertThat(free.path("entitlements").path("api_keys").asInt()).isEqualTo(2);
    JsonNode pro = plans.path(1);
    assertThat(pro.path("price_cents_monthly").asLong()).isEqualTo(1500);
    assertThat(pro.path("checkout_available").asBoolean()).isTrue();
    assertThat(pro.toString()).doesNotContain("price_test_pro");
    JsonNode enterprise = plans.path(3);
    assertThat(enterprise.path("price_cents_monthly").isNull()).isTrue();
    assertThat(enterprise.path("contact_sales").asBoolean()).isTrue();
    assertThat(enterprise.path("checkout_available").asBoolean()).isFalse();
  }

  @Test
  void theFreeDefaultsOfEveryEnforcingServiceAreBillingsFreePlan() {
    // libs/entitlements' defaults apply to a workspace billing has published nothing for
    EntitlementsProperties.Free defaults =
        new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("beacon.entitlements", EntitlementsProperties.class)
            .free();
    Entitlements free = plans.free().block(java.time.Duration.ofSeconds(10)).entitlements();

    assertThat(defaults.retentionDays()).isEqualTo(free.retentionDays());
    assertThat(defaults.eventsPerMonth()).isEqualTo(free.eventsPerMonth());
    assertThat(defaults.alertRules()).isEqualTo(free.alertRules());
    assertThat(defaults.members()).isEqualTo(free.members());
    assertThat(defaults.apiKeys()).isEqualTo(free.apiKeys());
    assertThat(defaults.hostedCreditAllowance()).isEqualTo(free.hostedCreditAllowance());
  }

  @Test
  void billingReadsNeedAForwardedIdentity() {
    web.get().uri("/api/billing/plans").exchange().expectStatus().isUnauthorized();
    web.get().uri("/api/billing/subscription").exchange().expectStatus().isUnauthorized();
  }

  @Test
  void theEntitlementsTopicIsCompacted() throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) kafka))) {
      ConfigResource topic =
          new ConfigResource(ConfigResource.Type.TOPIC, EntitlementsPublisher.TOPIC);
      Config config =
          admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }
  }
}
