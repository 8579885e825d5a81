package dev.tollgate.attribution;

import java.util.List;

/**
 * Where virtual keys are issued, listed and revoked: {@code keys.yaml} ({@link KeyFile}, the
 * embedded default), or the shared ledger database when several replicas share one, so a key issued
 * or revoked through any replica holds at every replica.
 */
public interface KeyStore {
  /** Every entry; the file's or the database's. */
  List<KeyEntry> list();

  /** Issues a new virtual key: the secret is in the answer only. */
  KeyFile.Issued issue(KeyFile.NewKey key);

  /** Revokes the key named {@code name}; {@link KeyFile.Refused} when there is none. */
  int revoke(String name);

  /** Where the keys are kept, for messages: a file path or "the ledger database". */
  String where();
}
