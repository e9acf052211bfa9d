package dev.beacon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.gateway.account.AccountService;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

class WorkspaceApplicationTests extends GatewayTestSupport {

  @Autowired AccountService accounts;

  @Test
  void anInvitedPersonSignsInAndCanSwitchToTheWorkspace() {
    Browser owner = browser().signIn(freshEmail());
    String workspace = RoutingApplicationTests.workspaceId(RoutingApplicationTests.me(owner));
    String email = freshEmail();
    owner
        .post("/api/workspace/members")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", email.toUpperCase(), "role", "member"))
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody()
        .jsonPath("$.email")
        .isEqualTo(email)
        .jsonPath("$.role")
        .isEqualTo("member");

    web.get()
        .uri("/dev/mailbox/messages")
        .exchange()
        .expectBody()
        .jsonPath("$[?(@.to == '" + email + "')].subject")
        .value(subjects -> assertThat(subjects.toString()).contains("You were invited"));

    Browser invitee = browser().signIn(email);
    invitee
        .get("/api/me")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.workspaces.length()")
        .isEqualTo(2);
    invitee
        .method(HttpMethod.PUT, "/api/me/workspace")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("workspace", workspace))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.workspace.id")
        .isEqualTo(workspace)
        .jsonPath("$.role")
        .isEqualTo("member");
  }

  @Test
  void switchingToAWorkspaceOfOthersIsNotFound() {
    Browser stranger = browser().signIn(freshEmail());
    Browser owner = browser().signIn(freshEmail());
    String workspace = RoutingApplicationTests.workspaceId(RoutingApplicationTests.me(owner));
    stranger
        .method(HttpMethod.PUT, "/api/me/workspace")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("workspace", workspace))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
  }

  @Test
  void ownersChangeRolesAndRemoveMembersButTheLastOwnerStays() {
    Browser owner = browser().signIn(freshEmail());
    String ownerId = RoutingApplicationTests.userId(RoutingApplicationTests.me(owner));
    String memberId = invite(owner, freshEmail(), "member");

    owner
        .method(HttpMethod.PATCH, "/api/workspace/members/" + memberId)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("role", "admin"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.role")
        .isEqualTo("admin");

    owner
        .method(HttpMethod.PATCH, "/api/workspace/members/" + ownerId)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("role", "member"))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("last_owner");
    owner
        .method(HttpMethod.DELETE, "/api/workspace/members/" + ownerId)
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("last_owner");

    owner
        .method(HttpMethod.DELETE, "/api/workspace/members/" + memberId)
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
    owner
        .get("/api/workspace/members")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.length()")
        .isEqualTo(1);
  }

  @Test
  void anOwnerCanLeaveOnceThereIsAnotherOwner() {
    Browser owner = browser().signIn(freshEmail());
    String ownerId = RoutingApplicationTests.userId(RoutingApplicationTests.me(owner));
    invite(owner, freshEmail(), "owner");
    owner
        .method(HttpMethod.DELETE, "/api/workspace/members/" + ownerId)
        .exchange()
        .expectStatus()
        .isNoContent()
        .expectBody()
        .isEmpty();
  }

  @Test
  void anAdminCannotTouchOwners() {
    Browser owner = browser().signIn(freshEmail());
    String ownerId = RoutingApplicationTests.userId(RoutingApplicationTests.me(owner));
    String workspace = RoutingApplicationTests.workspaceId(RoutingApplicationTests.me(owner));
    String adminEmail = freshEmail();
    invite(owner, adminEmail, "admin");
    Browser admin = browser().signIn(adminEmail);
    admin
        .method(HttpMethod.PUT, "/api/me/workspace")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("workspace", workspace))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.role")
        .isEqualTo("admin");
    admin
        .method(HttpMethod.DELETE, "/api/workspace/members/" + ownerId)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
    admin
        .post("/api/workspace/members")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("email", freshEmail(), "role", "owner"))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden_role");
  }

  @Test
  void provisioningTheInitialUserIsIdempotent() {
    String email = freshEmail();
    UUID first = accounts.provision(email, "Acme").block();
    UUID second = accounts.provision(email, "Acme").block();
    assertThat(second).isEqualTo(first);

    Browser browser = browser().signIn(email);
    browser
        .get("/api/me")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.workspace.name")
        .isEqualTo("Acme")
        .jsonPath("$.role")
        .isEqualTo("owner")
        .jsonPath("$.workspaces.length()")
        .isEqualTo(1);
  }

  @SuppressWarnings("unchecked")
  private String invite(Browser owner, String email, String role) {
    Map<String, Object> member =
        owner
            .post("/api/workspace/members")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("email", email, "role", role))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    return (String) member.get("id");
  }
}
