package edu.mentoring.portal.common;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every failure the portal reports, in one place: the numeric code carried by a failed event-bus reply
 * ({@code msg.fail(code, ...)}), the wire code of the contract's error body, and the HTTP status.
 * The numeric code is the HTTP status times ten plus a variant, so other-language verticles can map it too.
 * Codes a client should simply retry carry the {@code Retry-After} they are answered with.
 */
public enum ErrorCode {
  INVALID_JSON(4001, "invalid_json", 400),
  VALIDATION_FAILED(4002, "validation_failed", 400),
  /** Netty could not decode the request at all (docs/security.md). */
  INVALID_REQUEST(4003, "invalid_request", 400),
  UNAUTHORIZED(4010, "unauthorized", 401),
  FORBIDDEN(4030, "forbidden", 403),
  NOT_FOUND(4040, "not_found", 404),
  METHOD_NOT_ALLOWED(4050, "method_not_allowed", 405),
  CONFLICT(4090, "conflict", 409),
  SCHEDULE_CONFLICT(4091, "schedule_conflict", 409),
  ILLEGAL_TRANSITION(4092, "illegal_transition", 409),
  /** An Idempotency-Key another transaction has taken: the HTTP side replays its answer (IdempotentCall). */
  IDEMPOTENCY_TAKEN(4093, "conflict", 409),
  PAYLOAD_TOO_LARGE(4130, "payload_too_large", 413),
  URI_TOO_LONG(4140, "uri_too_long", 414),
  UNSUPPORTED_MEDIA_TYPE(4150, "unsupported_media_type", 415),
  IDEMPOTENCY_MISMATCH(4220, "idempotency_mismatch", 422),
  /** Too many sign-in failures or sign-ups: the failure carries its own Retry-After (docs/security.md). */
  RATE_LIMITED(4290, "rate_limited", 429, 60),
  HEADERS_TOO_LARGE(4310, "headers_too_large", 431),
  INTERNAL(5000, "internal", 500),
  /** Overloaded, or the database did not answer in time: retryable (docs/operations.md). */
  UNAVAILABLE(5030, "unavailable", 503, 1);

  private static final Map<Integer, ErrorCode> BY_NUMBER =
    Arrays.stream(values()).collect(Collectors.toMap(ErrorCode::number, Function.identity()));

  private final int number;
  private final String wire;
  private final int httpStatus;
  private final int retryAfterSeconds;

  ErrorCode(int number, String wire, int httpStatus) {
    this(number, wire, httpStatus, 0);
  }

  ErrorCode(int number, String wire, int httpStatus, int retryAfterSeconds) {
    this.number = number;
    this.wire = wire;
    this.httpStatus = httpStatus;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int number() { return number; }

  public String wire() { return wire; }

  public int httpStatus() { return httpStatus; }

  /** The {@code Retry-After} of a failure with this code, in seconds; 0: not a failure to retry as is. */
  public int retryAfterSeconds() { return retryAfterSeconds; }

  /** Unknown numbers (a bug, or a newer peer) are internal errors: never leak them as client mistakes. */
  public static ErrorCode ofNumber(int number) {
    return BY_NUMBER.getOrDefault(number, INTERNAL);
  }
}
