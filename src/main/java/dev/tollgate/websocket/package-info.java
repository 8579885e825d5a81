/**
 * WebSocket passthrough on {@code /v1/responses} (Codex CLI's transport) and {@code /v1/realtime}:
 * the upgrade relayed to the upstream, then frames both ways with back-pressure, and each billed
 * turn metered as it passes. See docs/WEBSOCKETS.md.
 */
package dev.tollgate.websocket;
