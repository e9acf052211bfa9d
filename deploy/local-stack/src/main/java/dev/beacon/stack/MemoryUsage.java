package dev.beacon.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resident memory of a set of processes, from {@code /proc}: RSS counts shared pages once per
 * process (PostgreSQL's shared buffers many times); PSS shares them out and adds up truthfully.
 */
record MemoryUsage(long rssBytes, long pssBytes) {

  static MemoryUsage of(List<ProcessHandle> processes) {
    long rss = 0;
    long pss = 0;
    for (ProcessHandle process : processes) {
      rss += kilobytes(Path.of("/proc", String.valueOf(process.pid()), "status"), "VmRSS:");
      pss += kilobytes(Path.of("/proc", String.valueOf(process.pid()), "smaps_rollup"), "Pss:");
    }
    return new MemoryUsage(rss * 1024, pss * 1024);
  }

  private static long kilobytes(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended, or /proc is not there (not Linux): count nothing
    }
    return 0;
  }

  static String gibibytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
