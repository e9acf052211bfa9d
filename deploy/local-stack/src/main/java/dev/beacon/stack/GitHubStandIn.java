package dev.beacon.stack;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack's <b>GitHub stand-in</b>: not GitHub. It lets a newcomer connect the GitHub
 * integration and watch an agent use its tools without a GitHub account. It speaks GitHub's OAuth
 * web flow as integrations-service uses it ({@code GET /login/oauth/authorize} with {@code state}
 * and PKCE S256 — a consent page with Authorize and Cancel —, {@code POST
 * /login/oauth/access_token}, {@code GET /user}, {@code DELETE /applications/{client_id}/grant})
 * and the REST calls of the GitHub tools ({@code GET /repos/{o}/{r}/pulls/{n}}, {@code POST
 * /repos/{o}/{r}/issues}, {@code POST /repos/{o}/{r}/pulls/{n}/comments}) in GitHub's JSON. Issues
 * and comments are kept in memory and listed on its home page. Listens on 127.0.0.1 only.
 */
final class GitHubStandIn implements AutoCloseable {

  static final String CLIENT_ID = "Iv1.beaconlocalstandin";
  static final String CLIENT_SECRET = "local-stand-in-secret-not-a-secret";
  static final String LOGIN = "demo-octocat";

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern PULL = Pattern.compile("/repos/([^/]+)/([^/]+)/pulls/(\\d+)");
  private static final Pattern ISSUES = Pattern.compile("/repos/([^/]+)/([^/]+)/issues");
  private static final Pattern COMMENTS =
      Pattern.compile("/repos/([^/]+)/([^/]+)/pulls/(\\d+)/comments");

  /** An authorization code waiting for its exchange. */
  private record Grant(String redirectUri, String challenge, String scope) {}

  private final LocalHttp server;
  private final Clock clock;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final List<String> activity = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicInteger issueNumbers = new AtomicInteger(100);

  private GitHubStandIn(Clock clock) {
    this.clock = clock;
    this.server = LocalHttp.start("GitHub stand-in", this::handle);
  }

  /** Starts on a free port of 127.0.0.1. */
  static GitHubStandIn start(Clock clock) {
    return new GitHubStandIn(clock);
  }

  String baseUrl() {
    return server.baseUrl();
  }

  /** The environment that points integrations-service's GitHub provider here. */
  Map<String, String> integrationsEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BEACON_INTEGRATIONS_GITHUB_CLIENT_ID", CLIENT_ID);
    env.put("BEACON_INTEGRATIONS_GITHUB_CLIENT_SECRET", CLIENT_SECRET);
    env.put("BEACON_INTEGRATIONS_GITHUB_AUTHORIZATION_URI", baseUrl() + "/login/oauth/authorize");
    env.put("BEACON_INTEGRATIONS_GITHUB_TOKEN_URI", baseUrl() + "/login/oauth/access_token");
    env.put(
        "BEACON_INTEGRATIONS_GITHUB_REVOCATION_URI", baseUrl() + "/applications/{client_id}/grant");
    env.put("BEACON_INTEGRATIONS_GITHUB_ACCOUNT_URI", baseUrl() + "/user");
    env.put("BEACON_INTEGRATIONS_GITHUB_API_URL", baseUrl());
    return env;
  }

  @Override
  public void close() {
    server.close();
  }

  private void handle(HttpExchange exchange) {
    try {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      Matcher comments = COMMENTS.matcher(path);
      Matcher pull = PULL.matcher(path);
      Matcher issues = ISSUES.matcher(path);
      if ("GET".equals(method) && "/login/oauth/authorize".equals(path)) {
        consentPage(exchange);
      } else if ("POST".equals(method) && "/login/oauth/authorize".equals(path)) {
        consent(exchange);
      } else if ("POST".equals(method) && "/login/oauth/access_token".equals(path)) {
        exchangeCode(exchange);
      } else if ("GET".equals(method) && "/".equals(path)) {
        home(exchange);
      } else if (!authorized(exchange)) {
        LocalHttp.json(
            exchange,
            401,
            Map.of(
                "message",
                "Bad credentials",
                "documentation_url",
                "https://docs.github.com/rest",
                "status",
                "401"));
      } else if ("GET".equals(method) && "/user".equals(path)) {
        LocalHttp.json(exchange, 200, user());
      } else if ("DELETE".equals(method) && path.startsWith("/applications/")) {
        exchange.sendResponseHeaders(204, -1);
      } else if ("POST".equals(method) && comments.matches()) {
        reviewComment(exchange, comments);
      } else if ("GET".equals(method) && pull.matches()) {
        LocalHttp.json(
            exchange,
            200,
            pullRequest(pull.group(1), pull.group(2), Integer.parseInt(pull.group(3))));
      } else if ("POST".equals(method) && issues.matches()) {
        createIssue(exchange, issues.group(1), issues.group(2));
      } else {
        LocalHttp.json(
            exchange,
            404,
            Map.of(
                "message",
                "Not Found",
                "documentation_url",
                "https://docs.github.com/rest",
                "status",
                "404"));
      }
    } catch (IOException e) {
      // the caller went away mid-answer
    } finally {
      exchange.close();
    }
  }

  // --- OAuth ---

  private void consentPage(HttpExchange exchange) throws IOException {
    Map<String, String> query = LocalHttp.form(exchange.getRequestURI().getRawQuery());
    if (!CLIENT_ID.equals(query.get("client_id")) || query.get("redirect_uri") == null) {
      page(exchange, 400, "<p>Unknown application or no redirect_uri.</p>");
      return;
    }
    StringBuilder hidden = new StringBuilder();
    for (String field :
        List.of("redirect_uri", "state", "scope", "code_challenge", "code_challenge_method")) {
      hidden
          .append("<input type=hidden name=\"")
          .append(field)
          .append("\" value=\"")
          .append(LocalHttp.escape(query.getOrDefault(field, "")))
          .append("\">");
    }
    page(
        exchange,
        200,
        "<h1>Authorize Beacon</h1><p>Beacon asks for the scopes <code>"
            + LocalHttp.escape(query.getOrDefault("scope", ""))
            + "</code> of the account <b>"
            + LOGIN
            + "</b>.</p>"
            + "<form method=post action=\"/login/oauth/authorize\">"
            + hidden
            + "<button name=decision value=authorize id=authorize>Authorize</button> "
            + "<button name=decision value=cancel id=cancel>Cancel</button></form>");
  }

  private void consent(HttpExchange exchange) throws IOException {
    Map<String, String> form = LocalHttp.form(LocalHttp.body(exchange));
    String redirect = form.get("redirect_uri");
    if (redirect == null || redirect.isBlank()) {
      page(exchange, 400, "<p>No redirect_uri.</p>");
      return;
    }
    String state = form.getOrDefault("state", "");
    String separator = redirect.contains("?") ? "&" : "?";
    if (!"authorize".equals(form.get("decision"))) {
      LocalHttp.redirect(
          exchange,
          302,
          redirect
              + separator
              + "error=access_denied&error_description="
              + encode("The user has denied your application access.")
              + "&state="
              + encode(state));
      return;
    }
    String code = LocalHttp.randomHex(10);
    String challenge =
        "S256".equals(form.get("code_challenge_method")) ? form.get("code_challenge") : null;
    codes.put(code, new Grant(redirect, challenge, form.getOrDefault("scope", "")));
    LocalHttp.redirect(
        exchange, 302, redirect + separator + "code=" + code + "&state=" + encode(state));
  }

  private void exchangeCode(HttpExchange exchange) throws IOException {
    Map<String, String> form = LocalHttp.form(LocalHttp.body(exchange));
    // GitHub answers HTTP 200 with an error object when the exchange is refused
    if (!CLIENT_ID.equals(form.get("client_id"))
        || !CLIENT_SECRET.equals(form.get("client_secret"))) {
      LocalHttp.json(
          exchange,
          200,
          Map.of(
              "error",
              "incorrect_client_credentials",
              "error_description",
              "The client_id and/or client_secret passed are incorrect."));
      return;
    }
    Grant grant = form.get("code") == null ? null : codes.remove(form.get("code"));
    if (grant == null
        || (form.get("redirect_uri") != null
            && !grant.redirectUri().equals(form.get("redirect_uri")))
        || (grant.challenge() != null
            && !grant.challenge().equals(s256(form.get("code_verifier"))))) {
      LocalHttp.json(
          exchange,
          200,
          Map.of(
              "error",
              "bad_verification_code",
              "error_description",
              "The code passed is incorrect or expired."));
      return;
    }
    String accessToken = "gho_" + LocalHttp.randomHex(18);
    tokens.add(accessToken);
    activity.add(Instant.now(clock) + " authorized Beacon (scopes " + grant.scope() + ")");
    LocalHttp.json(
        exchange,
        200,
        Map.of(
            "access_token",
            accessToken,
            "token_type",
            "bearer",
            "scope",
            grant.scope().replace(' ', ',')));
  }

  private boolean authorized(HttpExchange exchange) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null) {
      return false;
    }
    if (auth.startsWith("Basic ")) {
      // the revocation call authenticates the application itself
      String pair =
          new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
      return pair.equals(CLIENT_ID + ":" + CLIENT_SECRET);
    }
    String token =
        auth.startsWith("Bearer ")
            ? auth.substring(7)
            : auth.startsWith("token ") ? auth.substring(6) : "";
    return tokens.contains(token);
  }

  // --- REST ---

  private static Map<String, Object> user() {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("login", LOGIN);
    user.put("id", 583231);
    user.put("type", "User");
    user.put("name", "Demo Octocat (local stand-in)");
    user.put("html_url", "https://github.com/" + LOGIN);
    return user;
  }

  private Map<String, Object> pullRequest(String owner, String repo, int number) {
    Map<String, Object> pr = new LinkedHashMap<>();
    pr.put("number", number);
    pr.put("title", "Demo pull request #" + number + " (local stand-in)");
    pr.put("state", "open");
    pr.put("draft", false);
    pr.put("merged", false);
    pr.put("user", Map.of("login", LOGIN));
    pr.put("html_url", "https://github.com/" + owner + "/" + repo + "/pull/" + number);
    pr.put(
        "head", Map.of("ref", "feature/demo", "sha", "0123456789abcdef0123456789abcdef01234567"));
    pr.put("base", Map.of("ref", "main"));
    pr.put("body", "A pull request the local GitHub stand-in makes up for any number.");
    pr.put("additions", 12);
    pr.put("deletions", 3);
    pr.put("changed_files", 2);
    pr.put("comments", 0);
    pr.put("created_at", "2026-12-01T10:00:00Z");
    pr.put("updated_at", "2026-12-02T10:00:00Z");
    return pr;
  }

  private void createIssue(HttpExchange exchange, String owner, String repo) throws IOException {
    JsonNode request = readJson(exchange);
    String title = request == null ? "" : request.path("title").asString("");
    if (title.isBlank()) {
      LocalHttp.json(
          exchange,
          422,
          Map.of(
              "message",
              "Validation Failed",
              "errors",
              List.of(Map.of("resource", "Issue", "field", "title", "code", "missing_field")),
              "status",
              "422"));
      return;
    }
    int number = issueNumbers.incrementAndGet();
    String url = "https://github.com/" + owner + "/" + repo + "/issues/" + number;
    activity.add(
        Instant.now(clock) + " issue #" + number + " in " + owner + "/" + repo + ": " + title);
    Map<String, Object> issue = new LinkedHashMap<>();
    issue.put("number", number);
    issue.put("title", title);
    issue.put("state", "open");
    issue.put("html_url", url);
    issue.put("user", Map.of("login", LOGIN));
    issue.put("body", request.path("body").asString(""));
    LocalHttp.json(exchange, 201, issue);
  }

  private void reviewComment(HttpExchange exchange, Matcher comments) throws IOException {
    JsonNode request = readJson(exchange);
    String body = request == null ? "" : request.path("body").asString("");
    if (body.isBlank()) {
      LocalHttp.json(exchange, 422, Map.of("message", "Validation Failed", "status", "422"));
      return;
    }
    long id = 1_000_000L + RANDOM.nextInt(1_000_000);
    activity.add(
        Instant.now(clock)
            + " review comment on "
            + comments.group(1)
            + "/"
            + comments.group(2)
            + "#"
            + comments.group(3)
            + ": "
            + body);
    LocalHttp.json(
        exchange,
        201,
        Map.of(
            "id",
            id,
            "body",
            body,
            "path",
            request.path("path").asString(""),
            "line",
            request.path("line").asInt(0),
            "user",
            Map.of("login", LOGIN),
            "html_url",
            "https://github.com/"
                + comments.group(1)
                + "/"
                + comments.group(2)
                + "/pull/"
                + comments.group(3)
                + "#discussion_r"
                + id));
  }

  private void home(HttpExchange exchange) throws IOException {
    StringBuilder html = new StringBuilder("<h1>What Beacon did here</h1>");
    if (activity.isEmpty()) {
      html.append("<p>Nothing yet: connect GitHub on Beacon's Integrations page.</p>");
    } else {
      html.append("<ul>");
      activity.forEach(a -> html.append("<li>").append(LocalHttp.escape(a)).append("</li>"));
      html.append("</ul>");
    }
    page(exchange, 200, html.toString());
  }

  // --- helpers ---

  private static String s256(String verifier) {
    if (verifier == null) {
      return "";
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode readJson(HttpExchange exchange) throws IOException {
    try {
      return JSON.readTree(exchange.getRequestBody().readAllBytes());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void page(HttpExchange exchange, int status, String body) throws IOException {
    LocalHttp.page(
        exchange,
        status,
        "Local GitHub stand-in",
        "<b>Local GitHub stand-in</b> — not GitHub. <code>./beacon up</code> runs it so the GitHub"
            + " integration can be tried without an account; with real"
            + " <code>BEACON_INTEGRATIONS_GITHUB_CLIENT_ID</code>/<code>_SECRET</code> Beacon talks to"
            + " GitHub itself.",
        body);
  }
}
