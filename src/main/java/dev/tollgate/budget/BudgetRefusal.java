package dev.tollgate.budget;

import dev.tollgate.call.Money;
import java.time.Instant;

/**
 * Why a call was refused: the budget and the numbers that decided it.
 *
 * @param sharePico this replica's share when that is what it lacked, else -1
 * @param othersSharesPico what the other replicas hold as their unused shares
 */
public record BudgetRefusal(
    Budget budget,
    long spentPico,
    long reservedPico,
    long askedPico,
    Instant resets,
    long sharePico,
    int replicas,
    long othersSharesPico) {
  /** Refused for want of this replica's share, not because the whole budget is spent. */
  public boolean byShare() {
    return sharePico >= 0;
  }

  public String message() {
    String why =
        byShare()
            ? "is nearly spent: this call's worst case $%s is more than this replica's share of"
                    .formatted(usd(askedPico))
                + " what remains, $%s (%d replicas share it; $%s of it is the other replicas'"
                    .formatted(usd(sharePico), replicas, usd(othersSharesPico))
                + " shares; spent $%s, reserved $%s of $%s)"
                    .formatted(usd(spentPico), usd(reservedPico), usd(budget.limitPico()))
            : "would be exceeded: spent $%s + reserved $%s + this call's worst case $%s > limit $%s"
                .formatted(
                    usd(spentPico), usd(reservedPico), usd(askedPico), usd(budget.limitPico()));
    return "Budget '%s' (%s, %s) %s. It resets at %s."
        .formatted(budget.name(), budget.scope(), budget.period(), why, resets);
  }

  private static String usd(long pico) {
    return Money.format(Money.fromPico(pico));
  }
}
