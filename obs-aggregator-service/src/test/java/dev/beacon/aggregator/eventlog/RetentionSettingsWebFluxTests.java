package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.Events;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.IdentitySigner;
import dev.beacon.identity.Role;
import dev.beacon.testsupport.IntegrationTest;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

@IntegrationTest
class RetentionSettingsWebFluxTests {

  @Autowired WebTestClient web;
  @Autowired IdentitySigner signer;
  @Autowired DataSource dataSource;

  final String workspace = Events.newWorkspace();

  @AfterEach
  void forgetTheSetting() {
    new JdbcTemplate(dataSource)
        .update("DELETE FROM obs.workspace_settings WHERE workspace_id = ?", workspace);
  }

  @Test
  void aWorkspaceWithoutASettingOrARecordHasFreesRetention() {
    get(Role.VIEWER)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.retention_days")
        .isEqualTo(7)
        .jsonPath("$.plan")
        .isEqualTo("free")
        .jsonPath("$.plan_retention_days")
        .isEqualTo(7)
        .jsonPath("$.workspace_retention_days")
        .doesNotExist()
        .jsonPath("$.source")
        .isEqualTo("plan");
  }

  @Test
  void anAdminSetsTheRetentionAndEveryMemberReadsIt() {
    put(Role.ADMIN, Map.of("retention_days", 5))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.retention_days")
        .isEqualTo(5)
        .jsonPath("$.updated_by")
        .isEqualTo("user-ADMIN");
    put(Role.OWNER, Map.of("retention_days", 3))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.retention_days")
        .isEqualTo(3);
    get(Role.VIEWER)
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.retention_days")
        .isEqualTo(3)
        .jsonPath("$.workspace_retention_days")
        .isEqualTo(3)
        .jsonPath("$.source")
        .isEqualTo("workspace")
        .jsonPath("$.updated_by")
        .isEqualTo("user-OWNER");
  }

  @Test
  void membersAndViewersCannotChangeIt() {
    put(Role.MEMBER, Map.of("retention_days", 90))
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("admin_required");
    put(Role.VIEWER, Map.of("retention_days", 90))
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
    get(Role.OWNER).expectStatus().isOk().expectBody().jsonPath("$.source").isEqualTo("plan");
  }

  @Test
  void rejectsRetentionOutsideOneToFourHundredDays() {
    for (Object days : new Object[] {0, 401, -3}) {
      put(Role.OWNER, Map.of("retention_days", days))
          .expectStatus()
          .isBadRequest()
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("invalid_parameter")
          .jsonPath("$.message")
          .isEqualTo("retention_days must be an integer from 1 to 400.");
    }
    put(Role.OWNER, Map.of())
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_parameter");
    put(Role.OWNER, Map.of("retention_days", "a month"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_request");
    get(Role.OWNER).expectStatus().isOk().expectBody().jsonPath("$.source").isEqualTo("plan");
  }

  private WebTestClient.ResponseSpec get(Role role) {
    return web.get()
        .uri("/api/obs/settings/retention")
        .header(ForwardedIdentity.HEADER, signer.sign("user-" + role, workspace, role))
        .exchange();
  }

  private WebTestClient.ResponseSpec put(Role role, Map<String, ?> body) {
    return web.put()
        .uri("/api/obs/settings/retention")
        .header(ForwardedIdentity.HEADER, signer.sign("user-" + role, workspace, role))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }
}
