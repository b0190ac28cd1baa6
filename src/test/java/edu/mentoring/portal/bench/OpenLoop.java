package edu.mentoring.portal.bench;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed-rate load: operation k is started at {@code start + k / rate}, whether or not the earlier ones finished
 * (an open loop, as users arrive). Latencies are taken from the intended start, so a late client or a queue in
 * front of the server counts against the server, not away from it.
 */
final class OpenLoop {
  private OpenLoop() {
  }

  /** An operation started on schedule: when it was due, its result and when that came (System.nanoTime). */
  static final class Started<T> {
    final int n;
    final long dueNanos;
    final Future<T> result;
    volatile long doneNanos;

    Started(int n, long dueNanos, Future<T> result) {
      this.n = n;
      this.dueNanos = dueNanos;
      this.result = result;
      result.onComplete(ar -> doneNanos = System.nanoTime());
    }

    boolean succeeded() {
      return result.succeeded();
    }

    T value() {
      return result.result();
    }

    double ms() {
      return (doneNanos - dueNanos) / 1e6;
    }
  }

  /** The k-th operation, due at {@code dueNanos} (it may need that instant: latencies count from it). */
  interface Operation<T> {
    Future<T> start(int k, long dueNanos);
  }

  static <T> List<Started<T>> run(double rate, double seconds, Operation<T> operation) {
    int total = (int) Math.round(rate * seconds);
    long start = System.nanoTime();
    double interval = 1e9 / rate;
    List<Started<T>> started = new ArrayList<>(total);
    for (int k = 0; k < total; k++) {
      long due = start + (long) (k * interval);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
      Future<T> f;
      try {
        f = operation.start(k, due);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      started.add(new Started<>(k, due, f));
    }
    return started;
  }

  /** Waits until every result is in or the deadline (System.nanoTime) passed; how many are still out. */
  static int awaitAll(List<? extends Started<?>> started, long deadlineNanos) throws InterruptedException {
    while (System.nanoTime() < deadlineNanos) {
      if (started.stream().allMatch(s -> s.result.isComplete())) return 0;
      Thread.sleep(5);
    }
    return (int) started.stream().filter(s -> !s.result.isComplete()).count();
  }
}
