package dev.tollgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Tollgate process spent over a window: CPU time from {@code /proc/<pid>/stat} (user +
 * system, every thread: event loops, metering, the ledger writer, GC, JIT) and bytes allocated,
 * from the JVM's own count ({@code jvm_gc_memory_allocated_bytes_total} on its {@code /metrics},
 * which Micrometer advances at each collection: a {@code jcmd GC.run} before each reading closes
 * the window exactly, outside the measured time).
 *
 * @param admin the process's admin base URL (for {@code /metrics})
 */
record ProcessProbe(long pid, URI admin) {
  private static final Pattern ALLOCATED =
      Pattern.compile(
          "^jvm_gc_memory_allocated_bytes_total(\\{[^}]*})? ([0-9.eE+]+)$", Pattern.MULTILINE);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  /** A reading: CPU nanoseconds and allocated bytes so far. */
  record Reading(long cpuNanos, double allocatedBytes) {}

  /**
   * Opens a window: a collection forced, then the counts. The collection's own CPU time (a full
   * collection and the attach listener) is spent before the window opens.
   */
  Reading start() throws IOException, InterruptedException {
    double allocated = collectAndCountAllocated();
    return new Reading(cpuNanos(), allocated);
  }

  /** Closes a window: the CPU count first, so the forced collection falls outside it. */
  Reading end() throws IOException, InterruptedException {
    long cpu = cpuNanos();
    return new Reading(cpu, collectAndCountAllocated());
  }

  private double collectAndCountAllocated() throws IOException, InterruptedException {
    Process gc =
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true).start();
    gc.getInputStream().readAllBytes();
    gc.waitFor();
    Thread.sleep(300); // the collection's notification reaches Micrometer's listener
    String metrics =
        HTTP.send(
                HttpRequest.newBuilder(admin.resolve("/metrics")).build(), BodyHandlers.ofString())
            .body();
    Matcher m = ALLOCATED.matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
  }

  private long cpuNanos() throws IOException {
    return ticksToNanos(Path.of("/proc/" + pid + "/stat"));
  }

  /** CPU the JIT's compiler threads have used so far (their names begin "C1 Compiler"/"C2 ..."). */
  long compilerCpuNanos() throws IOException {
    long sum = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String comm = Files.readString(task.resolve("comm"), StandardCharsets.US_ASCII);
          if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            sum += ticksToNanos(task.resolve("stat"));
          }
        } catch (IOException gone) {
          // a compiler thread that ended between the listing and the read: nothing to add
        }
      }
    }
    return sum;
  }

  private static long ticksToNanos(Path statFile) throws IOException {
    String stat = Files.readString(statFile, StandardCharsets.US_ASCII);
    // Fields after the command name (which may hold spaces, so split after its closing paren):
    // state is field 3; utime and stime are fields 14 and 15.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 1_000_000_000L / TICKS_PER_SECOND;
  }

  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return 100; // Linux's USER_HZ almost everywhere
    }
  }
}
