package edu.mentoring.portal.tasks;

/** Event-bus addresses served by {@link TaskStore}; message shapes and the workflow in docs/tasks.md. */
public final class TaskAddresses {
  /** {@code body: {studentId | cohortId, title, description?, dueAt?, mentorId? (admin)}} → the task. */
  public static final String CREATE = "tasks.create";
  /** {@code params: {status?, studentId?, cohortId?, limit?}} → {@code {items: [task]}} visible to the actor. */
  public static final String LIST = "tasks.list";
  /** {@code params: {id}, body: {status}} → the task as the actor sees it. */
  public static final String CHANGE_STATUS = "tasks.changeStatus";

  private TaskAddresses() {
  }
}
