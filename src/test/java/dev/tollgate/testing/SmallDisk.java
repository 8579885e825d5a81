package dev.tollgate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small file system of its own (a size-capped tmpfs) that a test can fill to the last byte and
 * free again: the storage faults a data directory meets. Needs root (mount); elsewhere the test is
 * skipped with a printed reason, never silently.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path root;
  private final Path ballast;

  private SmallDisk(Path root) {
    this.root = root;
    this.ballast = root.resolve("ballast");
  }

  /** Mounts a tmpfs of {@code bytes} at a fresh folder. */
  public static SmallDisk mount(long bytes) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("tollgate-small-disk-");
    String why = run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
    if (why != null) {
      Files.deleteIfExists(dir);
      System.out.println("SKIPPED storage-fault test: cannot mount a small tmpfs (" + why + ")");
      Assumptions.abort("cannot mount a small tmpfs (needs root): " + why);
    }
    return new SmallDisk(dir);
  }

  public Path path() {
    return root;
  }

  /** Writes a ballast file until the file system has no byte left. */
  public void fill() throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(ballast)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // ENOSPC: full to the last block (what did not fit is simply not there)
    }
    try (OutputStream out =
        Files.newOutputStream(ballast, java.nio.file.StandardOpenOption.APPEND)) {
      for (int i = 0; i < 64 * 1024; i++) {
        out.write(0); // and to the last byte
        out.flush();
      }
    } catch (IOException full) {
      // done
    }
  }

  /** Deletes the ballast: room again. */
  public void free() throws IOException {
    Files.deleteIfExists(ballast);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", "-l", root.toString());
    Files.deleteIfExists(root);
  }

  /** Runs a command; null when it succeeded, else what it said. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    String out = new String(p.getInputStream().readAllBytes()).trim();
    return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
  }
}
