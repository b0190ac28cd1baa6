package edu.mentoring.portal.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * When one event reached each socket (the first time: the same event on a second room of the socket is a repeat).
 * Sockets {@code 0..students-1} are the students; any index above is an extra socket (the mentor's). Each slot is
 * written only by its socket's event loop; the counters publish the writes.
 */
final class Arrivals {
  private final long[] at;
  private final int students;
  private final AtomicInteger studentsReached = new AtomicInteger();
  private final AtomicInteger othersReached = new AtomicInteger();
  private final AtomicInteger repeats = new AtomicInteger();

  Arrivals(int sockets, int students) {
    this.at = new long[sockets];
    this.students = students;
  }

  void arrive(int socket, long nanos) {
    if (socket >= at.length) return;
    if (at[socket] != 0) {
      repeats.incrementAndGet();
      return;
    }
    at[socket] = nanos;
    (socket < students ? studentsReached : othersReached).incrementAndGet();
  }

  int studentsReached() {
    return studentsReached.get();
  }

  int othersReached() {
    return othersReached.get();
  }

  int repeats() {
    return repeats.get();
  }

  /** 0 when the socket never got it. */
  long at(int socket) {
    return at[socket];
  }

  int sockets() {
    return at.length;
  }
}
