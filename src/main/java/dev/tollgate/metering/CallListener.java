package dev.tollgate.metering;

import dev.tollgate.call.Call;

/** Told of every priced call: the ledger writer, the metrics. Must return at once (no I/O). */
@FunctionalInterface
public interface CallListener {
  void onCall(Call call);
}
