/**
 * Who a call is charged to: Tollgate's virtual keys ({@code tg-...}, stored as hashes), the
 * client's own upstream key by fingerprint, {@code X-Tollgate-*} headers and the body's end user.
 */
package dev.tollgate.attribution;
