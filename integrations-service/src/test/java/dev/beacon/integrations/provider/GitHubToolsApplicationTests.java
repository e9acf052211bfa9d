package dev.beacon.integrations.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;

/**
 * GitHub's tools against a stand-in speaking GitHub's REST API: the exact requests, the bounded
 * answers, and GitHub's refusals mapped to the tools' codes.
 */
class GitHubToolsApplicationTests extends ProviderToolsStandIns {

  private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

  @Autowired DatabaseClient db;

  @Test
  void getPullRequestSendsGitHubsHeadersAndAnswersTheBoundedPullRequest() {
    Connected github = connectGitHub(workspace());
    String path = "/github-api/repos/octo-org/hello.world/pulls/1347";
    PROVIDERS.stubFor(
        get(urlEqualTo(path))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(
                okJson(
                    """
                    {"number": 1347, "state": "open", "title": "Amazing new feature",
                     "user": {"login": "octocat"}, "body": "%s", "draft": false, "merged": false,
                     "html_url": "https://github.com/octo-org/hello.world/pull/1347",
                     "head": {"ref": "new-topic", "sha": "%s"}, "base": {"ref": "main"},
                     "created_at": "2026-01-26T19:01:12Z", "updated_at": "2026-01-26T19:01:12Z",
                     "additions": 100, "deletions": 3, "changed_files": 5, "comments": 10,
                     "review_comments": 0}
                    """
                        .formatted("x".repeat(5000), SHA))));

    JsonNode pr =
        okResult(
            run(
                github.workspace(),
                "github.get_pull_request",
                Map.of("owner", "octo-org", "repo", "hello.world", "number", 1347)));

    PROVIDERS.verify(
        1,
        getRequestedFor(urlEqualTo(path))
            .withHeader("Authorization", equalTo(github.bearer()))
            .withHeader("Accept", equalTo("application/vnd.github+json"))
            .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
            .withHeader(
                "User-Agent",
                equalTo("Beacon-Integrations/1.0 (+https://github.com/beacon-dev/beacon)")));
    assertThat(pr.get("title").asString()).isEqualTo("Amazing new feature");
    assertThat(pr.get("author").asString()).isEqualTo("octocat");
    assertThat(pr.get("head_sha").asString()).isEqualTo(SHA);
    assertThat(pr.get("base").asString()).isEqualTo("main");
    assertThat(pr.get("changed_files").asInt()).isEqualTo(5);
    assertThat(pr.get("body").asString()).hasSize(4001).endsWith("…");
    JsonNode connection = connections(github.workspace()).get(0);
    assertThat(connection.get("last_used_at").isNull()).isFalse();
    assertThat(connection.get("last_error").isNull()).isTrue();
  }

  @Test
  void createIssueSendsTitleBodyAndLabels() {
    Connected github = connectGitHub(workspace());
    String path = "/github-api/repos/octocat/hello-world/issues";
    PROVIDERS.stubFor(
        post(urlEqualTo(path))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"number\": 42, \"html_url\": \"https://github.com/octocat/hello-world/issues/42\"}")));

    JsonNode result =
        run(
            github.workspace(),
            "github.create_issue",
            Map.of(
                "owner", "octocat",
                "repo", "hello-world",
                "title", "Found a bug",
                "body", "I'm having a problem with this.",
                "labels", "bug, triage"));

    assertThat(result.get("result").asString())
        .isEqualTo(
            "Opened issue #42 in octocat/hello-world: https://github.com/octocat/hello-world/issues/42");
    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo(path))
            .withHeader("Authorization", equalTo(github.bearer()))
            .withHeader("Accept", equalTo("application/vnd.github+json"))
            .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
            .withHeader("Content-Type", equalTo("application/json;charset=UTF-8"))
            .withRequestBody(
                equalToJson(
                    "{\"title\": \"Found a bug\", \"body\": \"I'm having a problem with this.\","
                        + " \"labels\": [\"bug\", \"triage\"]}")));
  }

  @Test
  void createReviewCommentSendsBodyCommitPathAndLine() {
    Connected github = connectGitHub(workspace());
    String path = "/github-api/repos/octocat/hello-world/pulls/12/comments";
    PROVIDERS.stubFor(
        post(urlEqualTo(path))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\": 10, \"html_url\": \"https://github.com/octocat/hello-world/pull/12#discussion-diff-10\"}")));

    JsonNode result =
        run(
            github.workspace(),
            "github.create_review_comment",
            Map.of(
                "owner", "octocat",
                "repo", "hello-world",
                "number", 12,
                "body", "Great stuff!",
                "commit_id", SHA,
                "path", "file1.txt",
                "line", 2));

    assertThat(result.get("status").asString()).isEqualTo("ok");
    assertThat(result.get("result").asString())
        .startsWith("Commented on file1.txt line 2 of octocat/hello-world#12: https://github.com/");
    PROVIDERS.verify(
        1,
        postRequestedFor(urlEqualTo(path))
            .withHeader("Authorization", equalTo(github.bearer()))
            .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
            .withRequestBody(
                equalToJson(
                    "{\"body\": \"Great stuff!\", \"commit_id\": \"%s\", \"path\": \"file1.txt\","
                            .formatted(SHA)
                        + " \"line\": 2, \"side\": \"RIGHT\"}")));
  }

  @Test
  void anUnauthorizedAnswerTurnsTheConnectionNeedsReauth() {
    Connected github = connectGitHub(workspace());
    String path = "/github-api/repos/octocat/hello-world/pulls/1";
    PROVIDERS.stubFor(
        get(urlEqualTo(path))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"message\": \"Bad credentials\","
                            + " \"documentation_url\": \"https://docs.github.com/rest\"}")));
    assertThat(toolNames(github.workspace())).contains("github.get_pull_request");
    Map<String, Object> arguments = Map.of("owner", "octocat", "repo", "hello-world", "number", 1);

    JsonNode result = run(github.workspace(), "github.get_pull_request", arguments);

    assertError(result, "needs_reauth");
    assertThat(result.get("error").get("message").asString())
        .contains("Bad credentials")
        .contains("connect GitHub again")
        .doesNotContain(github.token());
    String status =
        db.sql("SELECT status FROM integrations.connections WHERE id = :id")
            .bind("id", UUID.fromString(github.id()))
            .map(r -> r.get(0, String.class))
            .one()
            .block();
    assertThat(status).isEqualTo("needs_reauth");
    JsonNode connection = connections(github.workspace()).get(0);
    assertThat(connection.get("status").asString()).isEqualTo("needs_reauth");
    assertThat(connection.get("last_error").get("code").asString()).isEqualTo("needs_reauth");
    assertThat(connection.get("last_error").get("at").asString()).isNotBlank();
    // no longer offered; executing it tells the model without calling GitHub again
    assertThat(toolNames(github.workspace())).containsExactly("web_fetch");
    assertError(run(github.workspace(), "github.get_pull_request", arguments), "needs_reauth");
    PROVIDERS.verify(1, getRequestedFor(urlEqualTo(path)));
  }

  @Test
  void rateLimitsAreRateLimitedWithTheTimeToRetryAndAreNotHeld() {
    Connected github = connectGitHub(workspace());
    PROVIDERS.stubFor(
        get(urlEqualTo("/github-api/repos/octocat/busy/pulls/1"))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "30")
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\": \"API rate limit exceeded\"}")));
    long reset = java.time.Instant.now().getEpochSecond() + 600;
    PROVIDERS.stubFor(
        get(urlEqualTo("/github-api/repos/octocat/spent/pulls/1"))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("x-ratelimit-remaining", "0")
                    .withHeader("x-ratelimit-reset", Long.toString(reset))
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\": \"API rate limit exceeded for user ID 1.\"}")));

    long started = System.nanoTime();
    JsonNode retryAfter =
        run(
            github.workspace(),
            "github.get_pull_request",
            Map.of("owner", "octocat", "repo", "busy", "number", 1));
    JsonNode spent =
        run(
            github.workspace(),
            "github.get_pull_request",
            Map.of("owner", "octocat", "repo", "spent", "number", 1));

    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    assertError(retryAfter, "rate_limited");
    assertThat(retryAfter.get("error").get("message").asString())
        .startsWith("GitHub is rate limiting these calls; retry after 30 seconds (at ");
    assertError(spent, "rate_limited");
    assertThat(spent.get("error").get("message").asString())
        .matches("GitHub is rate limiting these calls; retry after (59\\d|600) seconds .*");
    JsonNode connection = connections(github.workspace()).get(0);
    assertThat(connection.get("status").asString()).isEqualTo("ok");
    assertThat(connection.get("last_error").get("code").asString()).isEqualTo("rate_limited");
  }

  @Test
  void aMissingPullRequestIsNotFoundAndAValidationFailureIsAProviderError() {
    Connected github = connectGitHub(workspace());
    PROVIDERS.stubFor(
        get(urlEqualTo("/github-api/repos/octocat/hello-world/pulls/999"))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\": \"Not Found\"}")));
    PROVIDERS.stubFor(
        post(urlEqualTo("/github-api/repos/octocat/hello-world/pulls/5/comments"))
            .withHeader("Authorization", equalTo(github.bearer()))
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"message\": \"Validation Failed\", \"errors\": [{\"resource\":"
                            + " \"PullRequestReviewComment\", \"code\": \"custom\","
                            + " \"message\": \"line must be part of the diff\"}]}")));

    JsonNode missing =
        run(
            github.workspace(),
            "github.get_pull_request",
            Map.of("owner", "octocat", "repo", "hello-world", "number", 999));
    JsonNode invalid =
        run(
            github.workspace(),
            "github.create_review_comment",
            Map.of(
                "owner", "octocat",
                "repo", "hello-world",
                "number", 5,
                "body", "here",
                "commit_id", SHA,
                "path", "README.md",
                "line", 9999));

    assertError(missing, "not_found");
    assertThat(missing.get("error").get("message").asString())
        .isEqualTo(
            "GitHub has no pull request octocat/hello-world#999, or the connection cannot see it"
                + " (Not Found).");
    assertError(invalid, "provider_error");
    assertThat(invalid.get("error").get("message").asString())
        .isEqualTo("GitHub answered HTTP 422: Validation Failed: line must be part of the diff");
  }

  @Test
  void anotherWorkspaceCannotUseTheConnection() {
    Connected github = connectGitHub(workspace());
    String other = workspace();

    JsonNode error =
        refused(
            other,
            "github.create_issue",
            Map.of("owner", "octocat", "repo", "hello-world", "title", "from elsewhere"),
            404);

    assertThat(error.get("code").asString()).isEqualTo("unknown_tool");
    assertThat(error.get("tool").asString()).isEqualTo("github.create_issue");
    assertThat(toolNames(other)).containsExactly("web_fetch");
    assertThat(toolNames(github.workspace()))
        .containsExactly(
            "github.create_issue",
            "github.create_review_comment",
            "github.get_pull_request",
            "web_fetch");
    PROVIDERS.verify(
        0,
        postRequestedFor(urlEqualTo("/github-api/repos/octocat/hello-world/issues"))
            .withHeader("Authorization", equalTo(github.bearer())));
  }

  @Test
  void namesThatCouldLeaveTheRepositoryPathAreInvalidArguments() {
    Connected github = connectGitHub(workspace());

    JsonNode dots =
        refused(
            github.workspace(),
            "github.get_pull_request",
            Map.of("owner", "..", "repo", "hello-world", "number", 1),
            400);
    JsonNode slash =
        refused(
            github.workspace(),
            "github.get_pull_request",
            Map.of("owner", "octocat", "repo", "a/b", "number", 1),
            400);

    assertThat(dots.get("code").asString()).isEqualTo("invalid_arguments");
    assertThat(dots.get("field").asString()).isEqualTo("owner");
    assertThat(slash.get("field").asString()).isEqualTo("repo");
  }
}
