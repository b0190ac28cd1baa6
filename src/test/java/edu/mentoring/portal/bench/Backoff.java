package edu.mentoring.portal.bench;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The official JS client's reconnect delay (webroot/vendor/vertx-eventbus.js, adapted from backo): min 1,000 ms ×
 * exponent 2 per attempt, randomized by ±50%, at most 5,000 ms; the attempt count starts again after an open.
 */
final class Backoff {
  static final int MIN_MS = 1000;
  static final int MAX_MS = 5000;
  static final double EXPONENT = 2;
  static final double RANDOMIZATION = 0.5;

  private Backoff() {
  }

  static long delayMs(int attempts) {
    double ms = MIN_MS * Math.pow(EXPONENT, attempts);
    double rand = ThreadLocalRandom.current().nextDouble();
    double deviation = Math.floor(rand * RANDOMIZATION * ms);
    ms = (((int) Math.floor(rand * 10)) & 1) == 0 ? ms - deviation : ms + deviation;
    return (long) Math.min(ms, MAX_MS);
  }
}
