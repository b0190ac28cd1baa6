package edu.mentoring.portal.notifications;

/** Event-bus addresses served by {@link NotificationStore}; message shapes in docs/bus.md. */
public final class NotificationAddresses {
  public static final String LIST = "notifications.list";
  public static final String READ = "notifications.read";
  public static final String READ_ALL = "notifications.readAll";
  public static final String DELETE = "notifications.delete";
  public static final String CLEAR = "notifications.clear";

  private NotificationAddresses() {
  }
}
