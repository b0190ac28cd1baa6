package edu.mentoring.portal.tasks;

/** Event-bus addresses served by {@link TaskStore}; message shapes in docs/bus.md. */
public final class TaskAddresses {
  public static final String CREATE = "tasks.create";
  public static final String LIST = "tasks.list";
  public static final String CHANGE_STATUS = "tasks.changeStatus";

  private TaskAddresses() {
  }
}
