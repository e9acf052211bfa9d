package dev.beacon.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child process of the stack with its log file; stopped gracefully, killed if it must be. */
final class ManagedProcess {

  private final String name;
  private final Process process;
  private final Path logFile;
  private volatile boolean stopping;

  private ManagedProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  static ManagedProcess start(
      String name, List<String> command, Map<String, String> environment, Path logFile) {
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().putAll(environment);
      return new ManagedProcess(name, builder.start(), logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
    }
  }

  /** The java binary running this launcher, so that children use the same JDK. */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * {@code setsid}, where the machine has it: a child in its own session does not receive the
   * terminal's Ctrl-C directly, so only the launcher decides the order in which things stop.
   */
  static List<String> ownSessionPrefix() {
    for (String dir : List.of("/usr/bin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, "setsid"))) {
        return List.of(dir + "/setsid");
      }
    }
    return List.of();
  }

  /** The launcher's class path, for children that run classes it ships (the Kafka broker). */
  static String launcherClassPath() {
    String classPath = System.getProperty("java.class.path");
    if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
      return classPath;
    }
    Path jar = Path.of(classPath).toAbsolutePath();
    return jar + java.io.File.pathSeparator + jar.resolveSibling("lib") + "/*";
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  boolean isStopping() {
    return stopping;
  }

  Process process() {
    return process;
  }

  Path logFile() {
    return logFile;
  }

  /** SIGTERM, then up to {@code grace} for a clean exit, then SIGKILL of it and its children. */
  void stop(Duration grace) {
    stopping = true;
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The last {@code lines} lines of the process's log, for reporting a crash. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log at " + logFile + ")";
    }
  }
}
