package dev.beacon.integrations.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.Role;
import dev.beacon.integrations.IntegrationsStandIns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** The registry's API as chat-service calls it: listing, refusals, the error bodies. */
class ToolRegistryWebFluxTests extends IntegrationsStandIns {

  @ParameterizedTest
  @EnumSource(Role.class)
  void everyRoleListsTheBuiltInWebFetchWithItsSchema(Role role) {
    JsonNode body = list(workspace(), role);

    assertThat(body.get("tools")).hasSize(1);
    JsonNode tool = body.get("tools").get(0);
    assertThat(tool.get("name").asString()).isEqualTo("web_fetch");
    assertThat(tool.get("kind").asString()).isEqualTo("read");
    assertThat(tool.get("integration").asString()).isEqualTo("web");
    assertThat(tool.get("description").asString()).contains("readable text");
    JsonNode parameters = tool.get("parameters");
    assertThat(parameters.get("type").asString()).isEqualTo("object");
    assertThat(parameters.get("required").get(0).asString()).isEqualTo("url");
    assertThat(parameters.get("properties").get("url").get("type").asString()).isEqualTo("string");
    assertThat(parameters.get("properties").get("max_chars").get("type").asString())
        .isEqualTo("integer");
    assertThat(parameters.get("properties").get("max_chars").get("maximum").asInt())
        .isEqualTo(16000);
    assertThat(parameters.get("additionalProperties").asBoolean()).isFalse();
  }

  @Test
  void listingWithoutAnIdentityIsRefused() {
    web.get().uri("/api/integrations/tools").exchange().expectStatus().isUnauthorized();
  }

  @Test
  void anUnknownToolIsNotFound() {
    JsonNode error =
        refused(
            workspace(),
            Role.MEMBER,
            "gmail.send",
            "{\"arguments\": {\"to\": \"a@example.com\"}, \"call_id\": \"c1\"}",
            404);

    assertThat(error.get("code").asString()).isEqualTo("unknown_tool");
    assertThat(error.get("tool").asString()).isEqualTo("gmail.send");
  }

  @Test
  void aViewerMayNotExecute() {
    JsonNode error =
        refused(
            workspace(),
            Role.VIEWER,
            "web_fetch",
            "{\"arguments\": {\"url\": \"https://example.com/\"}, \"call_id\": \"c1\"}",
            403);

    assertThat(error.get("code").asString()).isEqualTo("forbidden_role");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"arguments\": {}, \"call_id\": \"c1\"}|url|url is required.",
        "{\"arguments\": {\"url\": null}}|url|url is required.",
        "{\"arguments\": {\"url\": 5}}|url|url must be a string.",
        "{\"arguments\": {\"url\": \"\"}}|url|url must be at least 1 characters.",
        "{\"arguments\": {\"url\": \"https://example.com/\", \"max_chars\": \"many\"}}"
            + "|max_chars|max_chars must be an integer.",
        "{\"arguments\": {\"url\": \"https://example.com/\", \"max_chars\": 16001}}"
            + "|max_chars|max_chars must be at most 16000.",
        "{\"arguments\": {\"url\": \"https://example.com/\", \"max_chars\": 99}}"
            + "|max_chars|max_chars must be at least 100.",
        "{\"arguments\": {\"url\": \"https://example.com/\", \"max_chars\": 1.5}}"
            + "|max_chars|max_chars must be an integer.",
        "{\"arguments\": {\"url\": \"https://example.com/\", \"depth\": 2}}"
            + "|depth|depth is not an argument of this tool."
      })
  void argumentsThatDoNotMatchTheSchemaAreABadRequest(String example) {
    String[] parts = example.split("\\|");

    JsonNode error = refused(workspace(), Role.MEMBER, "web_fetch", parts[0], 400);

    assertThat(error.get("code").asString()).isEqualTo("invalid_arguments");
    assertThat(error.get("field").asString()).isEqualTo(parts[1]);
    assertThat(error.get("message").asString()).isEqualTo(parts[2]);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "{\"call_id\": \"c1\"}",
        "{\"arguments\": \"https://example.com/\"}",
        "{\"arguments\": {\"url\": \"https://example.com/\"}, \"call_id\": 7}",
        "{\"arguments\": {\"url\": \"https://example.com/\"}, \"agent_id\": \"\"}"
      })
  void aMalformedBodyIsAnInvalidRequest(String body) {
    JsonNode error = refused(workspace(), Role.MEMBER, "web_fetch", body, 400);

    assertThat(error.get("code").asString()).isEqualTo("invalid_request");
    assertThat(error.get("message").asString()).isNotBlank();
  }

  @Test
  void aRequestWithoutABodyIsAnInvalidRequest() {
    byte[] error =
        web.post()
            .uri("/api/integrations/tools/web_fetch/execute")
            .header(ForwardedIdentity.HEADER, as(workspace(), Role.MEMBER))
            .contentType(MediaType.APPLICATION_JSON)
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .returnResult()
            .getResponseBody();

    assertThat(JSON.readTree(error).get("code").asString()).isEqualTo("invalid_request");
  }

  private JsonNode list(String workspace, Role role) {
    byte[] body =
        web.get()
            .uri("/api/integrations/tools")
            .header(ForwardedIdentity.HEADER, as(workspace, role))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  private JsonNode refused(String workspace, Role role, String tool, String body, int status) {
    byte[] error =
        web.post()
            .uri("/api/integrations/tools/{name}/execute", tool)
            .header(ForwardedIdentity.HEADER, as(workspace, role))
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(error);
  }

  @Test
  void executingAsAMemberAnswersTheToolsResult() {
    JsonNode answer = fetch(workspace(), "ftp://example.com/file");

    assertThat(answer.get("status").asString()).isEqualTo("error");
    assertThat(answer.get("error").get("code").asString()).isEqualTo("invalid_url");
    assertThat(answer.has("result")).isFalse();
  }
}
