package edu.mentoring.portal.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * {@code users} virtual users, each sending its next request the moment its previous reply is in, until
 * {@code seconds} passed or {@code maxOperations} were started: the throughput at that concurrency.
 */
final class ClosedLoop {
  final Samples latency = new Samples();
  final Map<Integer, Integer> statuses = new TreeMap<>();
  final AtomicInteger ok = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private double seconds;

  private ClosedLoop() {
  }

  /** {@code operation(user, n)}: the n-th operation overall, sent by {@code user}. */
  static ClosedLoop run(int users, double seconds, int maxOperations,
                        BiFunction<Integer, Integer, Future<Http.Reply>> operation) {
    ClosedLoop loop = new ClosedLoop();
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    AtomicInteger running = new AtomicInteger(users);
    Promise<Void> done = Promise.promise();
    for (int u = 0; u < users; u++) loop.next(u, end, maxOperations, operation, running, done);
    done.future().await();
    loop.seconds = (System.nanoTime() - t0) / 1e9;
    return loop;
  }

  private void next(int user, long end, int max, BiFunction<Integer, Integer, Future<Http.Reply>> operation,
                    AtomicInteger running, Promise<Void> done) {
    int n = started.getAndIncrement();
    if (System.nanoTime() >= end || n >= max) {
      if (running.decrementAndGet() == 0) done.tryComplete();
      return;
    }
    operation.apply(user, n).onComplete(ar -> {
      if (ar.succeeded()) {
        Http.Reply r = ar.result();
        latency.add(r.ms());
        if (r.ok()) ok.incrementAndGet();
        count(r.status());
      } else {
        count(0);
      }
      next(user, end, max, operation, running, done);
    });
  }

  private synchronized void count(int status) {
    statuses.merge(status, 1, Integer::sum);
  }

  double seconds() {
    return seconds;
  }

  double okPerSecond() {
    return ok.get() / seconds;
  }

  /** Replies by status; 0 = no reply (refused, reset, timed out). */
  synchronized Map<Integer, Integer> statuses() {
    return new TreeMap<>(statuses);
  }
}
