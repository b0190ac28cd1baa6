package edu.mentoring.portal.idempotency;

/**
 * Event-bus addresses served by {@link IdempotencyStore} (shapes in docs/api.md). Every message is a
 * {@code BusRequest} whose {@code body} names the key: {@code {userId, key, requestHash}}.
 */
public final class IdempotencyAddresses {
  /** The HTTP header a client sets on a POST it may retry. */
  public static final String HEADER = "Idempotency-Key";

  /**
   * Finds what a key already answered (read only): {@code {userId, key, requestHash}} → {@code {found: false}} (go
   * ahead: the command's own transaction reserves the key, see IdempotentCommand) or
   * {@code {found: true, statusCode, response}} (replay it); fails 422 {@code idempotency_mismatch} when the key
   * was used for another request, 409 {@code conflict} while a request with it is still in progress.
   */
  public static final String LOOKUP = "idempotency.lookup";
  /**
   * Keeps a 2xx answer unless the command's transaction already did:
   * {@code {userId, key, requestHash, statusCode, response}} → {@code {}}.
   */
  public static final String SAVE = "idempotency.save";
  /** Frees a pending reservation of this very request: {@code {userId, key, requestHash}} → {@code {}}. */
  public static final String RELEASE = "idempotency.release";

  private IdempotencyAddresses() {
  }
}
