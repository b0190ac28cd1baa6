package edu.mentoring.portal.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Runs {@code n} asynchronous tasks with at most {@code inFlight} at a time (registering thousands of accounts,
 * opening thousands of sockets) and gathers their results in order; the first failure fails the whole.
 */
final class Bounded {
  private Bounded() {
  }

  static <T> Future<List<T>> all(int n, int inFlight, IntFunction<Future<T>> task) {
    List<T> results = new ArrayList<>(Collections.nCopies(n, null));
    if (n == 0) return Future.succeededFuture(results);
    Promise<List<T>> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable[] lane = new Runnable[1];
    lane[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n || failure.get() != null) return;
      Future<T> f;
      try {
        f = task.apply(i);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (ar.failed()) {
          if (failure.compareAndSet(null, ar.cause())) done.tryFail(ar.cause());
          return;
        }
        synchronized (results) {
          results.set(i, ar.result());
        }
        if (finished.incrementAndGet() == n) {
          synchronized (results) {
            done.tryComplete(results);
          }
        } else {
          lane[0].run();
        }
      });
    };
    for (int k = 0; k < Math.min(n, inFlight); k++) lane[0].run();
    return done.future();
  }
}
