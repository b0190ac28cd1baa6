package edu.mentoring.portal.metrics;

/** Event-bus addresses served by {@link DashboardMetrics}. */
public final class MetricsAddresses {
  /** {@code GET /api/metrics/dashboard}: the caller's snapshot (mentor: their students; admin: all). */
  public static final String DASHBOARD = "metrics.dashboard";

  private MetricsAddresses() {
  }
}
