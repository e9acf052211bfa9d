package dev.beacon.loadgen;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic synthetic agent activity: runs of several agents, each a {@code run_start}, LLM calls
 * on the agent's models with their token profiles and list prices, tool calls, actions through
 * their approval states, and a {@code run_end}. Deterministic for a seed (event ids included), so
 * sending the same seed twice is idempotent downstream.
 */
final class SyntheticEvents {

  /**
   * A model with its list prices in USD per million tokens and a typical token profile.
   *
   * @param provider provider name
   * @param model model name
   * @param inputPerMillion input price
   * @param cachedInputPerMillion cached input price
   * @param outputPerMillion output price
   * @param meanInputTokens typical prompt size
   * @param meanOutputTokens typical completion size
   * @param reasoningShare share of output spent on reasoning
   * @param meanLatencyMs typical latency
   */
  record Model(
      String provider,
      String model,
      double inputPerMillion,
      double cachedInputPerMillion,
      double outputPerMillion,
      int meanInputTokens,
      int meanOutputTokens,
      double reasoningShare,
      int meanLatencyMs) {}

  static final Model GPT_4O = new Model("openai", "gpt-4o", 2.50, 1.25, 10.00, 2400, 380, 0, 2100);
  static final Model GPT_4O_MINI =
      new Model("openai", "gpt-4o-mini", 0.15, 0.075, 0.60, 1800, 260, 0, 900);
  static final Model O3_MINI =
      new Model("openai", "o3-mini", 1.10, 0.55, 4.40, 3000, 1400, 0.6, 7800);
  static final Model CLAUDE_SONNET =
      new Model("anthropic", "claude-sonnet-4-5", 3.00, 0.30, 15.00, 5200, 620, 0, 3400);
  static final Model CLAUDE_HAIKU =
      new Model("anthropic", "claude-haiku-4-5", 1.00, 0.10, 5.00, 2100, 300, 0, 1200);
  static final Model GEMINI_FLASH =
      new Model("google", "gemini-2.5-flash", 0.30, 0.075, 2.50, 3600, 450, 0.2, 1500);

  /**
   * An agent: its models, tools, actions and how busy it is.
   *
   * @param id agent id
   * @param models the models it calls, first is the main one
   * @param tools tool names with their integration ("integration:tool")
   * @param actions actions that need approval
   * @param runsPerHour average runs per hour at peak
   */
  record Agent(
      String id, List<Model> models, List<String> tools, List<String> actions, int runsPerHour) {}

  static final List<Agent> AGENTS =
      List.of(
          new Agent(
              "support-bot",
              List.of(GPT_4O, GPT_4O_MINI),
              List.of("slack:slack.post_message", "notion:notion.search", "web:web.fetch"),
              List.of("send_email", "issue_refund"),
              40),
          new Agent(
              "research-agent",
              List.of(CLAUDE_SONNET, CLAUDE_HAIKU),
              List.of("web:web.fetch", "web:web.search", "notion:notion.create_page"),
              List.of(),
              12),
          new Agent(
              "code-reviewer",
              List.of(O3_MINI, GPT_4O_MINI),
              List.of("github:github.get_pull_request", "github:github.create_review_comment"),
              List.of("merge_pull_request"),
              18),
          new Agent(
              "sales-assistant",
              List.of(GEMINI_FLASH, CLAUDE_HAIKU),
              List.of(
                  "gmail:gmail.search",
                  "calendar:calendar.create_event",
                  "todoist:todoist.add_task"),
              List.of("send_email", "book_meeting"),
              22),
          new Agent(
              "ops-runbook",
              List.of(CLAUDE_SONNET),
              List.of("slack:slack.post_message", "web:web.fetch"),
              List.of("restart_service"),
              6));

  private final Random random;

  SyntheticEvents(long seed) {
    this.random = new Random(seed);
  }

  /** Every event of {@code hours} hours ending at {@code end}, in time order. */
  List<Map<String, Object>> history(Instant end, Duration span) {
    Instant start = end.minus(span);
    List<Map<String, Object>> events = new ArrayList<>();
    // two error bursts and one latency spike, at fixed places in the window
    Instant burst1 = start.plus(span.multipliedBy(3).dividedBy(10));
    Instant burst2 = start.plus(span.multipliedBy(8).dividedBy(10));
    Instant spike = start.plus(span.multipliedBy(55).dividedBy(100));
    for (Agent agent : AGENTS) {
      for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
        int localHour = hour.atZone(ZoneOffset.UTC).getHour();
        double daylight = 0.25 + 0.75 * Math.max(0, Math.sin(Math.PI * (localHour - 6) / 14.0));
        int runs = poisson(agent.runsPerHour() * daylight);
        for (int r = 0; r < runs; r++) {
          Instant runStart = hour.plusMillis((long) (random.nextDouble() * 3_600_000));
          if (runStart.isAfter(end.minusSeconds(120))) {
            continue;
          }
          boolean erroring =
              near(runStart, burst1, Duration.ofMinutes(25))
                      && agent.models().get(0).provider().equals("openai")
                  || near(runStart, burst2, Duration.ofMinutes(15))
                      && agent.id().equals("research-agent");
          double slowdown = near(runStart, spike, Duration.ofMinutes(20)) ? 6.0 : 1.0;
          events.addAll(run(agent, runStart, erroring, slowdown));
        }
      }
    }
    // runs near the end are still in progress: nothing from the future
    events.removeIf(event -> occurredAt(event).isAfter(end));
    events.sort(java.util.Comparator.comparing(SyntheticEvents::occurredAt));
    return events;
  }

  /** One short run, for load tests: the events of one agent's run at {@code at}. */
  List<Map<String, Object>> run(Agent agent, Instant at, boolean erroring, double slowdown) {
    List<Map<String, Object>> events = new ArrayList<>();
    String runId = "run_" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    String traceId = hex(32);
    String rootSpan = hex(16);
    Instant t = at;
    Map<String, Object> start =
        envelope("run_start", agent.id(), runId, traceId, rootSpan, null, t);
    start.put("metadata", Map.of("trigger", pick(List.of("chat", "schedule", "webhook"))));
    events.add(start);
    int steps = 1 + random.nextInt(4);
    boolean failed = false;
    for (int s = 0; s < steps; s++) {
      Model model = random.nextDouble() < 0.75 ? agent.models().get(0) : pick(agent.models());
      long latency = (long) (lognormal(model.meanLatencyMs()) * slowdown);
      t = t.plusMillis(50 + random.nextInt(200));
      Map<String, Object> llm =
          envelope("llm_call", agent.id(), runId, traceId, hex(16), rootSpan, t);
      llm.put("duration_ms", Math.min(latency, 86_400_000L));
      boolean error = erroring && random.nextDouble() < 0.45;
      if (error) {
        failed = true;
        llm.put("status", "error");
        llm.put(
            "error",
            Map.of(
                "type",
                "rate_limited",
                "message",
                model.provider() + " answered 429 Too Many Requests"));
        llm.put("llm", Map.of("provider", model.provider(), "model", model.model()));
      } else {
        llm.put("status", "ok");
        llm.put("llm", tokens(model));
      }
      events.add(llm);
      t = t.plusMillis(latency);
      if (error) {
        break;
      }
      if (!agent.tools().isEmpty() && random.nextDouble() < 0.6) {
        String[] tool = pick(agent.tools()).split(":");
        long toolLatency = (long) (lognormal(350) * slowdown);
        Map<String, Object> call =
            envelope("tool_call", agent.id(), runId, traceId, hex(16), rootSpan, t);
        boolean toolError = random.nextDouble() < 0.03;
        call.put("status", toolError ? "error" : "ok");
        if (toolError) {
          call.put("error", Map.of("type", "timeout", "message", tool[1] + " timed out"));
        }
        call.put("duration_ms", toolLatency);
        call.put("tool", Map.of("name", tool[1], "integration", tool[0]));
        events.add(call);
        t = t.plusMillis(toolLatency);
      }
    }
    if (!failed && !agent.actions().isEmpty() && random.nextDouble() < 0.25) {
      String kind = pick(agent.actions());
      String actionId = "act_" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
      events.add(action(agent, runId, traceId, rootSpan, t, kind, actionId, "proposed"));
      t = t.plusSeconds(20 + random.nextInt(600));
      boolean approved = random.nextDouble() < 0.8;
      events.add(
          action(
              agent,
              runId,
              traceId,
              rootSpan,
              t,
              kind,
              actionId,
              approved ? "approved" : "rejected"));
      if (approved) {
        t = t.plusMillis(300 + random.nextInt(2000));
        events.add(
            action(
                agent,
                runId,
                traceId,
                rootSpan,
                t,
                kind,
                actionId,
                random.nextDouble() < 0.95 ? "executed" : "failed"));
      }
    }
    Map<String, Object> end =
        envelope("run_end", agent.id(), runId, traceId, rootSpan, null, t.plusMillis(20));
    end.put("status", failed ? "error" : "ok");
    end.put("duration_ms", Duration.between(at, t).toMillis() + 20);
    events.add(end);
    return events;
  }

  private Map<String, Object> action(
      Agent agent,
      String runId,
      String traceId,
      String parent,
      Instant t,
      String kind,
      String actionId,
      String state) {
    Map<String, Object> event = envelope("action", agent.id(), runId, traceId, hex(16), parent, t);
    event.put("status", state.equals("failed") ? "error" : "ok");
    event.put("action", Map.of("kind", kind, "state", state));
    event.put("metadata", Map.of("action_id", actionId));
    event.put("tags", List.of("needs-approval"));
    return event;
  }

  private Map<String, Object> tokens(Model model) {
    long input = Math.max(50, (long) lognormal(model.meanInputTokens()));
    long output = Math.max(5, (long) lognormal(model.meanOutputTokens()));
    long cached =
        random.nextDouble() < 0.5 ? (long) (input * (0.3 + 0.5 * random.nextDouble())) : 0;
    long reasoning = (long) (output * model.reasoningShare());
    BigDecimal cost =
        BigDecimal.valueOf(
                (input - cached) * model.inputPerMillion()
                    + cached * model.cachedInputPerMillion()
                    + output * model.outputPerMillion())
            .divide(BigDecimal.valueOf(1_000_000), 8, RoundingMode.HALF_UP);
    Map<String, Object> llm = new LinkedHashMap<>();
    llm.put("provider", model.provider());
    llm.put("model", model.model());
    llm.put("input_tokens", input);
    llm.put("output_tokens", output);
    llm.put("cached_input_tokens", cached);
    llm.put("reasoning_tokens", reasoning);
    llm.put("cost_usd", cost);
    return llm;
  }

  private Map<String, Object> envelope(
      String type,
      String agent,
      String runId,
      String traceId,
      String span,
      String parent,
      Instant t) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event_id", uuid());
    event.put("type", type);
    event.put("occurred_at", t.toString());
    event.put("agent_id", agent);
    event.put("run_id", runId);
    event.put("trace_id", traceId);
    event.put("span_id", span);
    if (parent != null) {
      event.put("parent_span_id", parent);
    }
    return event;
  }

  /** A version-4 UUID from this generator's random, so that a seed replays the same ids. */
  private String uuid() {
    long most = random.nextLong() & ~0xf000L | 0x4000L;
    long least = random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }

  private String hex(int length) {
    StringBuilder hex = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      hex.append(Character.forDigit(random.nextInt(16), 16));
    }
    return hex.toString().toLowerCase(Locale.ROOT);
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  private double lognormal(double mean) {
    double sigma = 0.5;
    return mean * Math.exp(sigma * random.nextGaussian() - sigma * sigma / 2);
  }

  private int poisson(double mean) {
    double l = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l && k < 1000);
    return k - 1;
  }

  private static Instant occurredAt(Map<String, Object> event) {
    return Instant.parse((String) event.get("occurred_at"));
  }

  private static boolean near(Instant t, Instant center, Duration radius) {
    return Duration.between(center, t).abs().compareTo(radius) <= 0;
  }
}
