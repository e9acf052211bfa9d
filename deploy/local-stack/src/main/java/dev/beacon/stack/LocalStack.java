package dev.beacon.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./beacon up}: starts the local stack, prints where everything is, and runs until Ctrl-C
 * (or SIGTERM), then stops every process it started. If any child dies on its own, the tail of its
 * log is printed, everything else is stopped and the exit status is non-zero.
 */
public final class LocalStack {

  private LocalStack() {}

  public static void main(String[] args) throws InterruptedException {
    PrintStream console = System.out;
    Path repoRoot = Path.of(System.getProperty("beacon.repo", ".")).toAbsolutePath().normalize();
    StackSettings settings;
    try {
      settings = StackSettings.fromEnvironment(System.getenv(), repoRoot);
    } catch (IllegalArgumentException e) {
      console.println("beacon: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!settings.missingJars().isEmpty()) {
      console.println("beacon: service jars missing, build first (./mvnw -DskipTests package):");
      settings.missingJars().forEach(jar -> console.println("  " + jar));
      System.exit(2);
      return;
    }

    long started = System.nanoTime();
    Stack stack = new Stack(settings, console);
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "beacon-stop"));
    try {
      stack.start();
    } catch (StackException e) {
      reportFailure(console, e.getMessage(), e.logTail());
      System.exit(1);
      return;
    } catch (RuntimeException e) {
      reportFailure(console, String.valueOf(e.getMessage()), "");
      System.exit(1);
      return;
    }
    Duration startup = Duration.ofNanos(System.nanoTime() - started);

    printReady(console, settings, stack, startup);
    stack.loadDemoDataOnce().ifPresent(console::println);
    stack.trainClassDataSharingInBackground();

    Optional<ManagedProcess> crashed = stack.awaitUnexpectedExit();
    if (crashed.isPresent()) {
      ManagedProcess process = crashed.get();
      reportFailure(
          console,
          process.name() + " exited unexpectedly (exit code " + process.process().exitValue() + ")",
          process.tail(40));
      console.println("Stopping the rest of the stack.");
      System.exit(1);
    }
  }

  private static void printReady(
      PrintStream console, StackSettings settings, Stack stack, Duration startup) {
    List<ProcessHandle> processes = new ArrayList<>(stack.processes());
    processes.add(ProcessHandle.current());
    MemoryUsage memory = MemoryUsage.of(processes);
    console.println();
    console.printf(
        Locale.ROOT,
        "Beacon is up in %.1f s: %d services, Kafka %s, PostgreSQL %s:%d%n",
        startup.toMillis() / 1000.0,
        stack.servicePorts().size(),
        stack.kafkaBootstrapServers(),
        stack.databaseUrl().host(),
        stack.databaseUrl().port());
    for (Map.Entry<String, Integer> service : stack.servicePorts().entrySet()) {
      console.printf(
          Locale.ROOT, "  %-24s http://127.0.0.1:%d%n", service.getKey(), service.getValue());
    }
    console.println();
    console.println("  UI and API:    http://127.0.0.1:" + settings.basePort());
    console.println(
        "  Demo login:    "
            + settings.initUserEmail()
            + " (workspace "
            + settings.initWorkspace()
            + ")");
    console.println(
        "  Demo API key:  "
            + stack.secrets().apiKey()
            + (stack.secrets().apiKeyGenerated()
                ? "  (new; kept in .data/secrets.properties)"
                : ""));
    console.printf(
        Locale.ROOT,
        "  Memory:        %s RSS in total (%s PSS) over %d processes%n",
        MemoryUsage.gibibytes(memory.rssBytes()),
        MemoryUsage.gibibytes(memory.pssBytes()),
        processes.size());
    console.println(
        "  Demo LLM provider (local script, not a model) at "
            + stack.demoProviderBaseUrl()
            + "/v1");
    console.println(
        "  Stripe:        "
            + stack
                .stripeStandInUrl()
                .map(url -> "local stand-in at " + url + " (test pages, no money moves)")
                .orElse("Stripe itself (BEACON_STRIPE_SECRET_KEY is set)"));
    console.println(
        "  GitHub:        "
            + stack
                .gitHubStandInUrl()
                .map(url -> "local stand-in at " + url + " (connect it on the Integrations page)")
                .orElse("GitHub itself (BEACON_INTEGRATIONS_GITHUB_CLIENT_ID is set)"));
    console.println("  Logs:          " + settings.logDir());
    console.println();
    console.println("Ctrl-C stops everything.");
  }

  private static void reportFailure(PrintStream console, String message, String logTail) {
    console.println();
    console.println("beacon: " + message);
    if (logTail != null && !logTail.isBlank()) {
      console.println("---- last lines of its log ----");
      console.println(logTail);
      console.println("-------------------------------");
    }
  }
}
