package edu.mentoring.portal.operations;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.context.storage.ContextLocal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of the HTTP request being served, kept on the request's own (duplicated) Vert.x context: the HTTP verticle
 * sets it, {@code Bus} carries it in the {@link #BUS_HEADER} header of every request it sends, and the serving side
 * sets it again on the message's context. Log lines ({@link RequestIdMdc}) and audit rows read it from there, so
 * one id follows a request through every store it touches, on any node.
 */
public final class RequestIds {
  public static final String HTTP_HEADER = "X-Request-Id";
  public static final String BUS_HEADER = "requestId";
  /** An id a proxy sent is kept if it is this tame; anything else is replaced (it ends up in logs and rows). */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{8,64}");
  private static final ContextLocal<String> CURRENT = ContextLocal.registerLocal(String.class);

  private RequestIds() {
  }

  /** Loads this class, and so registers its context slot, before the node's Vert.x is built. */
  public static void register() {
    // the static initialiser did it
  }

  /** The proxy's id (nginx's $request_id) when it is usable, else a new one. */
  public static String accept(String fromClient) {
    return fromClient != null && ACCEPTED.matcher(fromClient).matches() ? fromClient : fresh();
  }

  public static String fresh() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }

  /** Marks the current context (an HTTP request's, a bus message's) as working for {@code id}. */
  public static void set(String id) {
    Context context = Vertx.currentContext();
    if (context == null || id == null) return;
    try {
      CURRENT.put(context, id);
    } catch (RuntimeException e) {
      // a Vert.x instance built before this class was loaded has no slot for it (test clients): nothing to carry
    }
  }

  /** The id of the request the calling code works for, or null outside one. */
  public static String current() {
    Context context = Vertx.currentContext();
    if (context == null) return null;
    try {
      return CURRENT.get(context);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
