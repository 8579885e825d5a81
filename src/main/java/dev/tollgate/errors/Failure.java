package dev.tollgate.errors;

import dev.tollgate.call.Outcome;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Failures that Tollgate answers itself (an upstream's own error responses pass through untouched).
 * Each carries the HTTP status and the OpenAI {@code error.type} / {@code error.code} clients see.
 */
public enum Failure {
  NOT_FOUND(HttpResponseStatus.NOT_FOUND, "invalid_request_error", "unknown_route"),
  BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "invalid_request_error", "bad_request"),
  MODEL_NOT_ROUTED(HttpResponseStatus.BAD_REQUEST, "invalid_request_error", "model_not_found"),
  METHOD_NOT_ALLOWED(
      HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request_error", "method_not_allowed"),
  REQUEST_TIMEOUT(
      HttpResponseStatus.REQUEST_TIMEOUT, "invalid_request_error", "request_read_timeout"),
  BODY_TOO_LARGE(
      HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "invalid_request_error", "request_too_large"),
  HEADERS_TOO_LARGE(
      HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
      "invalid_request_error",
      "headers_too_large"),
  UNAUTHORIZED(HttpResponseStatus.UNAUTHORIZED, "invalid_request_error", "invalid_admin_token"),
  INVALID_API_KEY(HttpResponseStatus.UNAUTHORIZED, "invalid_request_error", "invalid_api_key"),
  NO_UPSTREAM_KEY(HttpResponseStatus.INTERNAL_SERVER_ERROR, "server_error", "no_upstream_key"),
  FORBIDDEN(HttpResponseStatus.FORBIDDEN, "invalid_request_error", "admin_loopback_only"),
  UNMETERED_PATH(HttpResponseStatus.FORBIDDEN, "invalid_request_error", "unmetered_path"),
  NOT_YOURS(HttpResponseStatus.FORBIDDEN, "invalid_request_error", "viewer_not_allowed"),
  CSRF(HttpResponseStatus.FORBIDDEN, "invalid_request_error", "csrf_token_missing"),
  BUDGET_NOT_FOUND(HttpResponseStatus.NOT_FOUND, "invalid_request_error", "budget_not_found"),
  BUDGET_IN_FILE(HttpResponseStatus.CONFLICT, "invalid_request_error", "budget_in_file"),
  KEY_NOT_FOUND(HttpResponseStatus.NOT_FOUND, "invalid_request_error", "key_not_found"),
  KEY_NAME_TAKEN(HttpResponseStatus.CONFLICT, "invalid_request_error", "key_name_taken"),
  KEYS_FILE_UNWRITABLE(
      HttpResponseStatus.INTERNAL_SERVER_ERROR, "server_error", "keys_file_unwritable"),
  UPSTREAM_CONNECT(HttpResponseStatus.BAD_GATEWAY, "upstream_error", "upstream_connect_failed"),
  UPSTREAM_RESET(HttpResponseStatus.BAD_GATEWAY, "upstream_error", "upstream_connection_reset"),
  UPSTREAM_BAD_RESPONSE(HttpResponseStatus.BAD_GATEWAY, "upstream_error", "upstream_bad_response"),
  UPSTREAM_CONNECT_TIMEOUT(
      HttpResponseStatus.GATEWAY_TIMEOUT, "upstream_error", "upstream_connect_timeout"),
  UPSTREAM_FIRST_BYTE_TIMEOUT(
      HttpResponseStatus.GATEWAY_TIMEOUT, "upstream_error", "upstream_timeout"),
  UPSTREAM_IDLE_TIMEOUT(
      HttpResponseStatus.GATEWAY_TIMEOUT, "upstream_error", "upstream_idle_timeout"),
  RATE_LIMITED_REQUESTS(HttpResponseStatus.TOO_MANY_REQUESTS, "requests", "rate_limit_exceeded"),
  RATE_LIMITED_TOKENS(HttpResponseStatus.TOO_MANY_REQUESTS, "tokens", "rate_limit_exceeded"),
  BUDGET_EXCEEDED(HttpResponseStatus.TOO_MANY_REQUESTS, "insufficient_quota", "budget_exceeded"),
  SHUTTING_DOWN(HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", "shutting_down"),
  BUSY(HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", "request_buffers_full"),
  TOO_MANY_SOCKETS(HttpResponseStatus.SERVICE_UNAVAILABLE, "server_error", "too_many_websockets"),
  INTERNAL(HttpResponseStatus.INTERNAL_SERVER_ERROR, "server_error", "internal_error");

  private final HttpResponseStatus status;
  private final String type;
  private final String code;
  private final Outcome outcome;

  Failure(HttpResponseStatus status, String type, String code) {
    this.status = status;
    this.type = type;
    this.code = code;
    this.outcome = new Outcome(code);
  }

  /** How a call that ended with this failure is logged. */
  public Outcome outcome() {
    return outcome;
  }

  public HttpResponseStatus status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }
}
