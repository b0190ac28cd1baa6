package edu.mentoring.portal.bench;

import java.util.List;
import java.util.function.Supplier;

/**
 * The registration barrier: a socket's {@code register} frames are asynchronous. A server that confirms each one
 * ({@code room:joined}) is waited for until every room of every socket is confirmed; otherwise the scenario proves
 * it by events that reach every socket.
 */
final class Registration {
  static final String CONFIRMED = "room:joined";

  private Registration() {
  }

  /** True when the server confirmed every room (it confirmed none within 2 s: false, use the fallback). */
  static boolean awaitConfirmed(List<ClientSocket> sockets) throws InterruptedException {
    long firstAck = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < firstAck && sockets.stream().allMatch(c -> c.joined.isEmpty())) Thread.sleep(20);
    if (sockets.stream().allMatch(c -> c.joined.isEmpty())) return false;
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline && !allConfirmed(sockets)) Thread.sleep(20);
    if (!allConfirmed(sockets)) {
      long unconfirmed = sockets.stream().filter(c -> !c.joined.containsAll(c.rooms)).count();
      throw new IllegalStateException(unconfirmed + " sockets never had all their rooms confirmed");
    }
    return true;
  }

  private static boolean allConfirmed(List<ClientSocket> sockets) {
    return sockets.stream().allMatch(c -> c.joined.containsAll(c.rooms));
  }

  /** Retries {@code probe} (which says whether an event reached every socket) until it does; what proved it. */
  static String awaitByEvents(String what, int attempts, Supplier<Boolean> probe) {
    for (int i = 0; i < attempts; i++) {
      if (probe.get()) return what;
    }
    throw new IllegalStateException("the sockets never all registered (" + what + ", " + attempts + " attempts)");
  }
}
