package dev.tollgate.call;

/**
 * A day's calls of one team, project, key, model, tier, provider, pricing status and price version,
 * summed: one price point (every token of a kind in it cost the same rate). The grain of the FOCUS
 * export and of the ledger's {@code rollup_detail}. Null for a dimension the calls had none of (no
 * project, no key, no price version when unpriced).
 *
 * @param status the pricing status label ({@code priced}, {@code estimated}, {@code unpriced})
 */
public record PricePoint(
    String provider,
    String team,
    String project,
    String key,
    String model,
    String tier,
    String status,
    String priceVersion,
    Tally tally) {

  /** The point a call falls in, with an empty tally. */
  public static PricePoint of(Call c) {
    return new PricePoint(
        c.served().provider(),
        c.attribution().team(),
        c.attribution().project(),
        c.attribution().key(),
        c.model(),
        c.tier().name(),
        c.status().label(),
        c.charge().priceVersion(),
        new Tally());
  }
}
