package edu.mentoring.portal.schedules;

/** Event-bus addresses served by {@link ScheduleStore}; message shapes in docs/bus.md. */
public final class ScheduleAddresses {
  public static final String CREATE = "schedules.create";
  public static final String LIST = "schedules.list";
  public static final String GET = "schedules.get";

  private ScheduleAddresses() {
  }
}
