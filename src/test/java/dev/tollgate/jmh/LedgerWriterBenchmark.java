package dev.tollgate.jmh;

import dev.tollgate.bench.LedgerBench;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The ledger writer end to end on a real SQLite file: 10,000 calls offered, timed until all are
 * committed (group commit, 10 ms window). The score is time per row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LedgerWriterBenchmark {
  private static final int ROWS = 10_000;
  private Database db;
  private LedgerWriter writer;
  private long next;

  @Setup(Level.Trial)
  public void open() throws Exception {
    Path dir = Files.createTempDirectory("tollgate-jmh-ledger");
    LedgerConfig config =
        new LedgerConfig(Optional.empty(), Duration.ofMillis(10), 5000, 1_000_000, 0, 2);
    db = Database.open(config, dir);
    writer = new LedgerWriter(db, config);
  }

  @TearDown(Level.Trial)
  public void close() {
    writer.close();
    db.close();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long commit10kRows() throws InterruptedException {
    Instant now = Instant.now();
    long target = writer.written() + ROWS;
    for (int i = 0; i < ROWS; i++) {
      writer.offer(LedgerBench.sampleCall("jmh-" + next++, i, now));
    }
    while (writer.written() < target) {
      Thread.sleep(1);
    }
    return writer.written();
  }
}
