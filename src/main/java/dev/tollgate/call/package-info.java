/**
 * One call and its vocabulary: what was asked, how the relay went, what was served and what it cost
 * ({@link dev.tollgate.call.Call}), with the types every consumer shares: usage, cost components,
 * token kinds, service tier, reasons, money. Netty-free and storage-free.
 */
package dev.tollgate.call;
