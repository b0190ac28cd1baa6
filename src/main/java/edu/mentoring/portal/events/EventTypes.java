package edu.mentoring.portal.events;

import java.util.List;

/** The domain event types of the contract (envelope {@code type}). */
public final class EventTypes {
  public static final String STUDENT_REGISTERED = "student:registered";
  public static final String ENTRY_CREATED = "entry:created";
  public static final String ENTRY_STATUS_CHANGED = "entry:statusChanged";
  public static final String COMMENT_ADDED = "comment:added";
  public static final String TASK_ASSIGNED = "task:assigned";
  /** An assignee moved their own progress on a task (extension: docs/tasks.md); same room families as task:assigned. */
  public static final String TASK_PROGRESSED = "task:progressed";
  public static final String SCHEDULE_CREATED = "schedule:created";
  public static final String SCHEDULE_UPDATED = "schedule:updated";
  /** A state snapshot, not an activity: never in the feed. */
  public static final String METRICS_UPDATED = "metrics:updated";
  public static final String NOTIFICATION_CREATED = "notification:created";
  public static final String NOTIFICATIONS_CHANGED = "notifications:changed";
  /** Pushed on {@code user:{id}} when who the user mentors or is mentored by changed: re-read rooms and lists. */
  public static final String RELATIONSHIPS_CHANGED = "relationships:changed";

  /**
   * Sent on a room to the socket that registered it, once it is joined: events from then on reach the socket.
   * Not a domain event (no id); clients recover with {@code GET /api/events} once their rooms are joined.
   */
  public static final String ROOM_JOINED = "room:joined";

  public static final List<String> DOMAIN = List.of(STUDENT_REGISTERED, ENTRY_CREATED, ENTRY_STATUS_CHANGED,
    COMMENT_ADDED, TASK_ASSIGNED, TASK_PROGRESSED, SCHEDULE_CREATED, SCHEDULE_UPDATED);

  private EventTypes() {
  }
}
