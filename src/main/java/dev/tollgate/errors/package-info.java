/**
 * The one error vocabulary: every failure Tollgate itself produces, with its HTTP status and OpenAI
 * error type, rendered to {@code {"error":{...}}} in exactly one place.
 */
package dev.tollgate.errors;
