package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Call;
import dev.tollgate.call.Tally;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reused probe finds the rows its stored copies key, as a list would, for every rollup. */
class RowKeyTest {
  @Test
  void aProbeFindsTheCopyOfItsOwnKeyAndNoOther() {
    RowKey probe = new RowKey();
    Call a = RollupsTest.call(1);
    Call b = RollupsTest.call(2);
    for (Rollup r : Rollup.ALL) {
      Map<List<String>, Tally> rows = new HashMap<>();
      List<String> stored = probe.of(r, a).copy();
      rows.put(stored, new Tally());
      assertThat(stored).hasSize(r.dims().size() + (r.byPriceVersion() ? 2 : 1));
      assertThat(stored.get(0)).isEqualTo(a.day());

      assertThat(probe.of(r, a)).isEqualTo(stored).hasSameHashCodeAs(stored);
      assertThat(rows.get(probe)).isSameAs(rows.get(stored)).isNotNull();
      // Another call's key (these two differ in team, model and key): not the stored row, and
      // the stored copy did not follow the probe.
      assertThat(rows.get(probe.of(r, b))).isNull();
      assertThat(stored).isEqualTo(probe.of(r, a).copy()).isNotEqualTo(probe.of(r, b).copy());
    }
  }
}
