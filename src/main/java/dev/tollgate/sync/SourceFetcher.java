package dev.tollgate.sync;

import dev.tollgate.config.PriceSourceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Gets a source's file: a local file as it is now, or a URL with a conditional GET (ETag,
 * Last-Modified), so an unchanged map costs one small round trip. A download goes to a file as it
 * arrives (never whole into memory), bounded by {@code pricing.max_source_bytes}. The last copy
 * that parsed is kept under the data directory ({@code price-sources/<name>.body}) with its
 * validators.
 */
final class SourceFetcher {
  /**
   * What a fetch brought: a file to read (a download, deleted once kept or dropped), or nothing new
   * since the last good copy.
   */
  record Fetched(Path body, boolean unchanged, Properties validators) {}

  private final HttpClient http;
  private final Path dir;
  private final Duration timeout;
  private final long maxBytes;

  SourceFetcher(Path dataDir, Duration timeout, long maxBytes) {
    this.dir = dataDir.resolve("price-sources");
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  Fetched fetch(PriceSourceConfig source) throws IOException, InterruptedException {
    if (source.file() != null) {
      if (Files.size(source.file()) > maxBytes) {
        throw new IOException(source.file() + " is larger than " + maxBytes + " bytes");
      }
      return new Fetched(source.file(), false, null);
    }
    Properties meta = meta(source);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(source.url()).timeout(timeout).header("Accept", "application/json");
    if (Files.exists(body(source))) {
      Optional.ofNullable(meta.getProperty("etag"))
          .ifPresent(v -> request.header("If-None-Match", v));
      Optional.ofNullable(meta.getProperty("last_modified"))
          .ifPresent(v -> request.header("If-Modified-Since", v));
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new IOException(source.url() + " could not be reached: " + e, e);
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() == 304) {
        return new Fetched(null, true, null);
      }
      if (response.statusCode() / 100 != 2) {
        throw new IOException(source.url() + " answered " + response.statusCode());
      }
      Path download = download(source, in);
      Properties validators = new Properties();
      response.headers().firstValue("ETag").ifPresent(v -> validators.setProperty("etag", v));
      response
          .headers()
          .firstValue("Last-Modified")
          .ifPresent(v -> validators.setProperty("last_modified", v));
      return new Fetched(download, false, validators);
    }
  }

  /** Copies the body to a file of its own as it arrives, up to the size limit. */
  private Path download(PriceSourceConfig source, InputStream in) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, source.name(), ".download");
    try (var out = Files.newOutputStream(tmp)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new IOException(source.url() + " sent more than " + maxBytes + " bytes");
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  /** Keeps what was fetched (it parsed) as the source's last good copy, with its validators. */
  void keep(PriceSourceConfig source, Fetched fetched) throws IOException {
    if (source.file() != null || fetched.body() == null || fetched.validators() == null) {
      return; // a file is its own copy; without validators it is the last good copy already
    }
    Files.move(
        fetched.body(),
        body(source),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    try (var out = Files.newOutputStream(dir.resolve(source.name() + ".meta"))) {
      fetched.validators().store(out, "validators of the last good copy of " + source.url());
    }
  }

  /** Drops a download that did not parse. */
  void discard(PriceSourceConfig source, Fetched fetched) throws IOException {
    if (source.file() == null && fetched.body() != null && fetched.validators() != null) {
      Files.deleteIfExists(fetched.body());
    }
  }

  /** The last good copy, when there is one. */
  Optional<Path> lastGood(PriceSourceConfig source) {
    Path b = source.file() != null ? source.file() : body(source);
    return Files.exists(b) ? Optional.of(b) : Optional.empty();
  }

  private Path body(PriceSourceConfig source) {
    return dir.resolve(source.name() + ".body");
  }

  private Properties meta(PriceSourceConfig source) throws IOException {
    Properties p = new Properties();
    Path m = dir.resolve(source.name() + ".meta");
    if (Files.exists(m)) {
      try (var in = Files.newInputStream(m)) {
        p.load(in);
      }
    }
    return p;
  }
}
