package dev.beacon.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A service jar prepared for fast starts: extracted with Spring Boot's {@code jarmode=tools} (class
 * data sharing cannot read classes from nested jars), and a dynamic CDS archive written by one
 * training run that stops once the context is refreshed (Kafka listeners left unstarted). Every
 * later start maps the archive, which halves the time to refresh on our two-core machines. A
 * rebuilt jar is extracted and trained afresh; a failed training run only costs the speed-up.
 */
final class ServiceImage {

  private static final Duration TRAINING_TIMEOUT = Duration.ofSeconds(240);

  private final Path extractedJar;
  private final Path archive;

  private ServiceImage(Path extractedJar, Path archive) {
    this.extractedJar = extractedJar;
    this.archive = archive;
  }

  /** Extracts {@code jar} under {@code appsDir} unless that was done for this very jar. */
  static ServiceImage prepare(Path jar, Path appsDir, Path logFile) {
    String name = jar.getFileName().toString();
    Path dir = appsDir.resolve(name.replaceFirst("\\.jar$", ""));
    Path extracted = dir.resolve(name);
    Path stamp = dir.resolve("source.stamp");
    String jarStamp = stampOf(jar);
    if (!Files.isRegularFile(extracted) || !jarStamp.equals(read(stamp))) {
      deleteRecursively(dir);
      extract(jar, dir, logFile);
      write(stamp, jarStamp);
    }
    return new ServiceImage(extracted, dir.resolve("app.jsa"));
  }

  boolean isTrained() {
    return Files.isRegularFile(archive);
  }

  /**
   * Runs the service once until its context is refreshed, with the options and environment of a
   * real start, and keeps the classes it loaded as a CDS archive.
   */
  void train(
      List<String> jvmOptions,
      Map<String, String> environment,
      Path logFile,
      java.util.function.Consumer<ManagedProcess> started) {
    Path partial = archive.resolveSibling("app.jsa.partial");
    List<String> command = new ArrayList<>();
    command.add(ManagedProcess.javaBinary());
    command.addAll(jvmOptions);
    command.add("-XX:ArchiveClassesAtExit=" + partial);
    command.add("-Xlog:cds=off");
    command.add("-Xlog:cds+dynamic=off");
    command.add("-Dspring.context.exit=onRefresh");
    // a training run must not join consumer groups and take partitions from the live services
    command.add("-Dspring.kafka.listener.auto-startup=false");
    command.add("-jar");
    command.add(extractedJar.toString());
    ManagedProcess training = ManagedProcess.start("train", command, environment, logFile);
    started.accept(training);
    try {
      boolean exited = training.process().waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (exited && training.process().exitValue() == 0 && Files.isRegularFile(partial)) {
        Files.move(partial, archive, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } else {
        training.stop(Duration.ofSeconds(5));
        Files.deleteIfExists(partial);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      training.stop(Duration.ofSeconds(5));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the CDS archive " + archive, e);
    }
  }

  /** JVM options and the jar to run, mapping the CDS archive when there is one. */
  List<String> javaArguments() {
    List<String> args = new ArrayList<>();
    if (isTrained()) {
      args.add("-XX:SharedArchiveFile=" + archive);
      args.add("-Xlog:cds=off");
      args.add("-Xlog:cds+dynamic=off");
    }
    args.add("-jar");
    args.add(extractedJar.toString());
    return args;
  }

  private static void extract(Path jar, Path dir, Path logFile) {
    ManagedProcess extractor =
        ManagedProcess.start(
            "extract " + jar.getFileName(),
            List.of(
                ManagedProcess.javaBinary(),
                "-Djarmode=tools",
                "-jar",
                jar.toString(),
                "extract",
                "--destination",
                dir.toString()),
            Map.of(),
            logFile);
    try {
      if (!extractor.process().waitFor(120, TimeUnit.SECONDS)
          || extractor.process().exitValue() != 0) {
        extractor.stop(Duration.ofSeconds(5));
        throw new StackException(
            jar.getFileName().toString(), "extracting the jar failed", extractor.tail(20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException(jar.getFileName().toString(), "interrupted while extracting", "");
    }
  }

  private static String stampOf(Path jar) {
    try {
      return Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file).trim() : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
