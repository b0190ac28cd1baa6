package edu.mentoring.portal.schedules;

/** Event-bus addresses served by {@link ScheduleStore}; message shapes in docs/schedules.md. */
public final class ScheduleAddresses {
  public static final String CREATE = "schedules.create";
  public static final String LIST = "schedules.list";
  public static final String GET = "schedules.get";
  public static final String UPDATE = "schedules.update";
  public static final String CHANGE_STATUS = "schedules.changeStatus";
  public static final String DELETE = "schedules.delete";
  /** A student marks their own attendance (or a mentor marks a student's): see docs/schedules.md. */
  public static final String MARK_ATTENDANCE = "schedules.markAttendance";

  private ScheduleAddresses() {
  }
}
