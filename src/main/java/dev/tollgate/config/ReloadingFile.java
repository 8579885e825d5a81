package dev.tollgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value loaded from a file and reloaded when the file changes (price catalog, keys). The file is
 * polled, which works the same on every file system and container mount; a change that loads
 * replaces the value atomically, one that fails is logged and the previous value stays in force.
 * Readers never wait.
 */
public final class ReloadingFile<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingFile.class);

  private final Path file;
  private final String what;
  private final Function<Path, T> loader;
  private final ScheduledExecutorService poller;
  private volatile T value;
  private volatile Stamp loaded;

  private record Stamp(FileTime modified, long size) {}

  /** Loads now; a missing or invalid file is a {@link ConfigException}. */
  public ReloadingFile(Path file, String what, Duration interval, Function<Path, T> loader) {
    this.file = file;
    this.what = what;
    this.loader = loader;
    this.loaded = stamp();
    this.value = loader.apply(file);
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tollgate-reload-" + what.replace(' ', '-'));
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        this::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public T get() {
    return value;
  }

  public Path file() {
    return file;
  }

  /** Loads the file now, whatever its stamp says (Tollgate itself just changed it). */
  public void reload() {
    loaded = null;
    reloadIfChanged();
  }

  /** Checks the file once; true when a new value was loaded. */
  public boolean reloadIfChanged() {
    Stamp now = stamp();
    if (now == null || Objects.equals(now, loaded)) {
      return false;
    }
    loaded = now; // a broken file is not retried every tick, only when it changes again
    try {
      value = loader.apply(file);
      LOG.info("Reloaded {} from {}", what, file);
      return true;
    } catch (ConfigException e) {
      LOG.error("{} {} not reloaded, keeping the previous one: {}", what, file, e.getMessage());
      return false;
    }
  }

  private Stamp stamp() {
    try {
      return new Stamp(Files.getLastModifiedTime(file), Files.size(file));
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
