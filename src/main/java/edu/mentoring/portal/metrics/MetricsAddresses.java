package edu.mentoring.portal.metrics;

/** Event-bus addresses served by {@link DashboardMetrics}; message shapes in docs/metrics.md. */
public final class MetricsAddresses {
  /** {@code GET /api/metrics/dashboard}: the caller's snapshot (mentor: their students; admin: all). */
  public static final String DASHBOARD = "metrics.dashboard";
  /**
   * For changes that raise no domain event (e.g. a task's progress): publish {@code {rooms: ["student:4", ...]}}
   * after commit and the scopes those rooms touch get a fresh {@code metrics:updated}, like after an event.
   */
  public static final String TOUCHED = "metrics.touched";

  private MetricsAddresses() {
  }
}
