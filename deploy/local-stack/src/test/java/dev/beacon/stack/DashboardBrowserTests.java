package dev.beacon.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium against the whole system: starts a stack the way {@link
 * LocalStackSystemTests} does (free ports, a temporary data dir, demo data off so it starts fast),
 * then runs the frontend's browser test, {@code npm run e2e} in {@code frontend/}, with
 *
 * <ul>
 *   <li>{@code BEACON_URL}: the gateway (which serves the bundle built by the frontend module);
 *   <li>{@code BEACON_E2E_EMAIL}: a fresh address, signed in through the dev mailbox link;
 *   <li>{@code BEACON_E2E_OUT}: {@code target/browser} (screenshots, {@code timings.json}, and this
 *       harness's {@code e2e-output.log});
 *   <li>{@code CHROMIUM_PATH}: {@code $CHROMIUM_PATH} or {@code chromium} on the {@code PATH}.
 * </ul>
 *
 * Passes when the script exits 0. Without Chromium the test is skipped, unless {@code CI} is set,
 * where it fails. {@code -Dbeacon.frontend.dir=<dir>} runs another directory's {@code npm run e2e}.
 */
class DashboardBrowserTests {

  private static final Duration E2E_TIMEOUT = Duration.ofMinutes(10);

  @TempDir static Path dataDir;

  private static final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
  private static final PrintStream console =
      new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);
  private static Path chromium;
  private static Path frontendDir;
  private static StackSettings settings;
  private static Stack stack;

  @BeforeAll
  static void startStack() throws IOException {
    chromium = findChromium();
    Path repoRoot = Path.of("").toAbsolutePath().resolve("../..").normalize();
    frontendDir =
        Path.of(System.getProperty("beacon.frontend.dir", repoRoot.resolve("frontend").toString()))
            .toAbsolutePath()
            .normalize();
    assertThat(frontendDir.resolve("package.json"))
        .as("the frontend's package.json (with an \"e2e\" script)")
        .isRegularFile();
    assertThat(frontendDir.resolve("node_modules"))
        .as(
            "frontend/node_modules: the frontend module runs npm ci earlier in the reactor build;"
                + " run it (or ./mvnw -pl frontend package) first")
        .isDirectory();
    settings =
        new StackSettings(
            repoRoot,
            dataDir,
            freeConsecutivePorts(ServiceSpec.ALL.size()),
            freeConsecutivePorts(2),
            freeConsecutivePorts(1),
            freeConsecutivePorts(1),
            Optional.empty(),
            Optional.empty(),
            StackSettings.DEFAULT_SERVICE_JVM_OPTIONS,
            "browser-test@beacon.local",
            "browser-test",
            Optional.empty(),
            false);
    assertThat(settings.missingJars()).as("service jars built by the reactor").isEmpty();
    stack = new Stack(settings, console);
    stack.start();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theDashboardWorksInChromiumAgainstTheRunningSystem(TestReporter reporter) throws Exception {
    Path out = Path.of("target", "browser").toAbsolutePath();
    Files.createDirectories(out);
    Path log = out.resolve("e2e-output.log");
    String gateway = "http://127.0.0.1:" + settings.basePort();
    String email = "e2e-" + UUID.randomUUID() + "@beacon.local";

    ProcessBuilder npm =
        new ProcessBuilder("npm", "run", "e2e")
            .directory(frontendDir.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = npm.environment();
    env.put("BEACON_URL", gateway);
    env.put("BEACON_E2E_EMAIL", email);
    env.put("BEACON_E2E_OUT", out.toString());
    env.put("CHROMIUM_PATH", chromium.toString());
    env.put("npm_config_update_notifier", "false");

    System.out.println(
        "Browser test: npm run e2e in " + frontendDir + " against " + gateway + " as " + email);
    Process process = npm.start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread pump =
        new Thread(() -> copy(process.getInputStream(), output, System.out), "e2e-output");
    pump.setDaemon(true);
    pump.start();
    boolean finished = process.waitFor(E2E_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    pump.join(Duration.ofSeconds(10).toMillis());
    String text = output.toString(StandardCharsets.UTF_8);
    Files.writeString(log, text);
    reporter.publishEntry("e2e-output", log.toString());
    reporter.publishEntry("e2e-out-dir", out.toString());
    try {
      reporter.publishFile(log, MediaType.TEXT_PLAIN_UTF_8);
    } catch (RuntimeException unsupported) {
      // no output directory configured for this launcher: the log's path is published above
    }

    if (!finished) {
      fail(
          "npm run e2e did not finish within "
              + E2E_TIMEOUT
              + "; its output:\n"
              + tail(text)
              + serviceLogExcerpts(out));
    }
    if (process.exitValue() != 0) {
      fail(
          "npm run e2e exited with "
              + process.exitValue()
              + "; its output (also in "
              + log
              + "):\n"
              + tail(text)
              + serviceLogExcerpts(out));
    }
  }

  /**
   * The warnings and errors the services logged, and a copy of every log under {@code
   * target/browser/logs}: the stack's own directory is temporary, and a CI log is all a failed run
   * leaves behind.
   */
  private static String serviceLogExcerpts(Path out) {
    StringBuilder excerpts = new StringBuilder();
    try (var logs = Files.list(settings.logDir())) {
      Path copies = Files.createDirectories(out.resolve("logs"));
      for (Path serviceLog : logs.sorted().toList()) {
        Files.copy(
            serviceLog,
            copies.resolve(serviceLog.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> notable =
            Files.readAllLines(serviceLog, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .toList();
        if (!notable.isEmpty()) {
          excerpts
              .append("\n--- ")
              .append(serviceLog.getFileName())
              .append(": last warnings and errors ---\n")
              .append(
                  String.join(
                      "\n", notable.subList(Math.max(0, notable.size() - 15), notable.size())));
        }
      }
    } catch (IOException | RuntimeException e) {
      excerpts.append("\n(could not read the service logs: ").append(e).append(')');
    }
    return excerpts.toString();
  }

  /** {@code $CHROMIUM_PATH}, else {@code chromium} or {@code chromium-browser} on the PATH. */
  private static Path findChromium() {
    String configured = System.getenv("CHROMIUM_PATH");
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      assertThat(path).as("CHROMIUM_PATH").isExecutable();
      return path;
    }
    String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String name : List.of("chromium", "chromium-browser")) {
      Optional<Path> found =
          Arrays.stream(pathVariable.split(java.io.File.pathSeparator))
              .filter(dir -> !dir.isBlank())
              .map(dir -> Path.of(dir, name))
              .filter(Files::isExecutable)
              .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
    }
    String message =
        "Chromium is not installed (no 'chromium' on the PATH, CHROMIUM_PATH unset):"
            + " apt-get install -y chromium, or run .ci/run";
    if (System.getenv("CI") != null && !System.getenv("CI").isBlank()) {
      fail(message + " (CI is set, so the browser test may not be skipped)");
    }
    Assumptions.abort(message + "; skipping the browser test");
    return null;
  }

  private static void copy(InputStream in, OutputStream captured, PrintStream echo) {
    byte[] buffer = new byte[8192];
    try (in) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        captured.write(buffer, 0, read);
        echo.write(buffer, 0, read);
      }
    } catch (IOException e) {
      echo.println("(browser test output ended: " + e + ")");
    }
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join(
        "\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length));
  }

  /**
   * As in {@link LocalStackSystemTests}: consecutive free loopback ports below Linux's ephemeral
   * range, here 10000-14999, clear of the other stacks' port plans and of the system test's range.
   */
  private static int freeConsecutivePorts(int count) throws IOException {
    Random random = new Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = 10_000 + random.nextInt(5_000);
      if (allocated.stream().anyMatch(p -> p >= first - 8 && p < first + count + 8)) {
        continue;
      }
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (int port = first; port < first + count; port++) {
          held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
        }
        allocated.add(first);
        return first;
      } catch (IOException taken) {
        // try another range
      } finally {
        for (ServerSocket socket : held) {
          socket.close();
        }
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }

  private static final List<Integer> allocated = new ArrayList<>();
}
