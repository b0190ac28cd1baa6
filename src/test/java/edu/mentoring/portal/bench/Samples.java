package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/**
 * Latencies in milliseconds (or any figure), kept as a growable primitive array: hundreds of thousands of
 * deliveries without boxing, on the cores being measured. Thread-safe adds; percentiles by the nearest-rank rule.
 */
final class Samples {
  private double[] values = new double[1024];
  private int size;

  synchronized void add(double v) {
    if (size == values.length) values = Arrays.copyOf(values, size * 2);
    values[size++] = v;
  }

  /** Nanosecond interval as milliseconds. */
  void addNanos(long from, long to) {
    add((to - from) / 1e6);
  }

  synchronized void addAll(Samples other) {
    double[] o = other.sorted();
    for (double v : o) add(v);
  }

  synchronized int count() {
    return size;
  }

  synchronized double[] sorted() {
    double[] v = Arrays.copyOf(values, size);
    Arrays.sort(v);
    return v;
  }

  /** Nearest rank: the smallest value with at least p% of the values at or below it; NaN when empty. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  double p(double percentile) {
    return percentile(sorted(), percentile);
  }

  /** {@code {count, p50, p99, max, mean}} rounded to 0.01. */
  JsonObject summary() {
    double[] v = sorted();
    JsonObject j = new JsonObject().put("count", v.length);
    if (v.length == 0) return j;
    double sum = 0;
    for (double d : v) sum += d;
    return j.put("p50", round(percentile(v, 50))).put("p99", round(percentile(v, 99)))
      .put("max", round(v[v.length - 1])).put("mean", round(sum / v.length));
  }

  static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : v;
  }
}
