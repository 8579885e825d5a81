package dev.tollgate.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every line-item shape of OpenAI's Costs API docs/RECONCILE.md lists, read to (tier, model,
 * meter).
 */
class LineItemTest {
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = ';',
      nullValues = "null",
      value = {
        "gpt-4o-2024-08-06, input; default; gpt-4o-2024-08-06; input",
        "gpt-4o-2024-08-06, cached input; default; gpt-4o-2024-08-06; cached input",
        "priority | gpt-5-2025-08-07, input; priority; gpt-5-2025-08-07; input",
        // Priority became Fast on 2026-07-30: one tier.
        "fast | gpt-5-2025-08-07, output; priority; gpt-5-2025-08-07; output",
        "flex | o3-2025-04-16, cached input; flex; o3-2025-04-16; cached input",
        "batch | gpt-4o-mini-2024-07-18, input; batch; gpt-4o-mini-2024-07-18; input",
        "ultrafast | gpt-6.2-sol, output; ultrafast; gpt-6.2-sol; output",
        // A tier word nobody has seen yet is still a tier.
        "scale | gpt-5-2025-08-07, input; scale; gpt-5-2025-08-07; input",
        "Priority|gpt-5, input; priority; gpt-5; input",
        "gpt-4o-mini-2024-07-18, batch input; batch; gpt-4o-mini-2024-07-18; batch input",
        "text-embedding-3-small; default; text-embedding-3-small; ''",
        // Not understood: listed on their own, never folded into a model.
        "web search tool calls; null; null; null",
        "web search tool calls | gpt-4o, calls; null; null; null",
        "''; null; null; null",
      })
  void aLineItemReadsToTierModelAndMeter(String text, String tier, String model, String meter) {
    LineItem item = LineItem.parse(text);
    assertThat(item.tier()).isEqualTo(tier);
    assertThat(item.model()).isEqualTo(model);
    assertThat(item.meter()).isEqualTo(meter);
    assertThat(item.understood()).isEqualTo(model != null);
    assertThat(item.text()).isEqualTo(text);
  }
}
