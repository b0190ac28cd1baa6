package edu.mentoring.portal.metrics;

/**
 * The flusher's share of database time. Snapshot time is spent from a budget that refills at 1/{@code factor} of
 * the time passing, up to {@code burstMs}: in the long run snapshots take at most 1/factor of one session's time,
 * while a burst (every scope after an election, one slow read) passes without a pause. Times in monotonic ms.
 */
final class SnapshotBudget {
  private final long factor;
  private final long burstMs;
  private double budget;
  private long at;

  SnapshotBudget(long factor, long burstMs, long now) {
    this.factor = factor;
    this.burstMs = burstMs;
    this.budget = burstMs;
    this.at = now;
  }

  /** A snapshot took {@code ms}. */
  void spend(long ms, long now) {
    refill(now);
    budget -= ms;
  }

  /** When the next snapshot may start: now while budget is left, else once it has refilled to zero. */
  long nextStart(long now) {
    refill(now);
    return budget >= 0 ? now : now + (long) Math.ceil(-budget * factor);
  }

  private void refill(long now) {
    budget = Math.min(burstMs, budget + (now - at) / (double) factor);
    at = now;
  }
}
