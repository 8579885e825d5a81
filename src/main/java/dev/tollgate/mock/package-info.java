/**
 * {@code tollgate mock-upstream}: a small, fast, OpenAI-shaped fake upstream for demos and the
 * benchmark. Never used on the request path of a real deployment.
 */
package dev.tollgate.mock;
