package dev.tollgate.config;

/**
 * Who may send calls through Tollgate.
 *
 * @param virtualKeysOnly {@code auth.mode: virtual_keys}: every call needs a valid, unrevoked
 *     {@code tg-} key (sent upstream as Tollgate's own key); anything else is refused with 401 and
 *     never reaches the upstream. {@code passthrough} (the default): the client's own credential
 *     goes upstream.
 * @param allowSharedKey accept {@code upstream.api_key} in passthrough mode, where it lets every
 *     caller, keyed or not, spend the organisation's key
 */
public record AuthConfig(boolean virtualKeysOnly, boolean allowSharedKey) {}
