package dev.tollgate.attribution;

import java.util.Map;
import java.util.Objects;

/**
 * The dimensions a call's spend is reported by.
 *
 * @param team never null: {@code unattributed} when nothing names one
 * @param project may be null
 * @param user the end user, may be null
 * @param key the virtual key's name, or {@code fp:<fingerprint>} of a passthrough key, may be null
 * @param tags free-form {@code name=value} labels from the tags header
 * @param virtualKey true when a Tollgate virtual key authenticated the call
 */
public record Attribution(
    String team,
    String project,
    String user,
    String key,
    Map<String, String> tags,
    boolean virtualKey) {
  public static final String UNATTRIBUTED = "unattributed";
  public static final Attribution NONE =
      new Attribution(UNATTRIBUTED, null, null, null, Map.of(), false);

  public Attribution {
    Objects.requireNonNull(team, "team");
    tags = Map.copyOf(tags);
  }
}
