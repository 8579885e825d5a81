package dev.tollgate.reconcile;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;

/**
 * One day, model and tier compared, or a line item of the bill not understood.
 *
 * @param model the model (snapshot date dropped), or the line item's text when {@link Kind#UNREAD}
 * @param tier the tier compared ({@code default}, {@code priority} (also fast), {@code flex},
 *     {@code batch}, ...), or null for an unread line item
 * @param team the Tollgate team an OpenAI project maps to (reconcile.projects), or null when the
 *     comparison is per day and model only; {@code (unmapped)} for projects the config does not
 *     name
 * @param kind matched, drift, only in the provider's bill, only in the ledger, or a line item not
 *     read
 * @param cause why, when known: {@code missing_calls}, {@code price}, {@code ledger_has_more},
 *     {@code bypass}, {@code batch_not_through_tollgate}, {@code not_billed_yet}, {@code
 *     unknown_line_item}; null if matched
 * @param providerTokens input (cached included) + output tokens the provider reports
 * @param ledgerTokens the same, as the ledger recorded them
 */
public record Finding(
    LocalDate day,
    String model,
    String tier,
    String team,
    Kind kind,
    String cause,
    long providerTokens,
    long ledgerTokens,
    BigDecimal providerUsd,
    BigDecimal ledgerUsd) {

  public enum Kind {
    MATCHED,
    DRIFT,
    ONLY_PROVIDER,
    ONLY_LEDGER,
    /** A line item of a shape not understood: listed with its dollars, compared with nothing. */
    UNREAD;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What the ledger says minus what the bill says. */
  public BigDecimal driftUsd() {
    return ledgerUsd.subtract(providerUsd);
  }

  /** The drift as a percentage of the bill, or null when the bill is zero. */
  public BigDecimal driftPercent() {
    return providerUsd.signum() == 0
        ? null
        : driftUsd().multiply(BigDecimal.valueOf(100)).divide(providerUsd, 2, RoundingMode.HALF_UP);
  }
}
