package edu.mentoring.portal.schedules;

import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;

import java.util.List;

/**
 * The rules of a session's life, as pure decisions: the store supplies the facts (current status, whether the
 * session has started or ended by the database clock) and these throw the contract's 409 {@code illegal_transition}.
 * Written down in docs/schedules.md.
 */
final class ScheduleWorkflow {
  static final String SCHEDULED = "scheduled";
  static final String COMPLETED = "completed";
  static final String CANCELLED = "cancelled";
  static final String MISSED = "missed";
  static final List<String> STATUSES = List.of(SCHEDULED, COMPLETED, CANCELLED, MISSED);
  static final List<String> ATTENDANCE = List.of("attended", "absent");

  private ScheduleWorkflow() {
  }

  /** Only a scheduled session's details and time may be edited; afterwards it is history. */
  static void checkEditable(String status) {
    if (!SCHEDULED.equals(status)) {
      throw PortalException.illegalTransition("a " + status + " session can no longer be edited");
    }
  }

  /**
   * {@code scheduled → completed | cancelled | missed}, by the session's mentor or an admin; completed and missed
   * only once the session has started; every other status is final. Students have no status transition: they mark
   * their attendance instead.
   */
  static void checkStatusChange(Actor actor, String current, String target, boolean started) {
    if (actor.is(Role.STUDENT)) {
      throw PortalException.illegalTransition(
        "students mark their attendance (PUT /api/schedules/{id}/attendance); the mentor sets the status");
    }
    if (!SCHEDULED.equals(current)) {
      throw PortalException.illegalTransition("a " + current + " session cannot change its status");
    }
    if (SCHEDULED.equals(target)) {
      throw PortalException.illegalTransition("the session is already scheduled");
    }
    if (!started && !CANCELLED.equals(target)) {
      throw PortalException.illegalTransition("a session can be " + target + " only once it has started");
    }
  }

  /** Attendance is marked once the session has started, on any session that was not cancelled. */
  static void checkAttendance(String status, boolean started) {
    if (CANCELLED.equals(status)) {
      throw PortalException.illegalTransition("a cancelled session takes no attendance");
    }
    if (!started) {
      throw PortalException.illegalTransition("attendance can be marked only once the session has started");
    }
  }

  /**
   * A 1:1 session that is still scheduled becomes completed when its student is marked attended after it ended:
   * there is nobody else to wait for. Group sessions are completed by their mentor.
   */
  static boolean completesByAttendance(boolean groupSession, String status, String attendance, boolean ended) {
    return !groupSession && SCHEDULED.equals(status) && "attended".equals(attendance) && ended;
  }

  /** Removing is the last step after cancelling: history (completed, missed) and live sessions stay. */
  static void checkDeletable(String status) {
    if (!CANCELLED.equals(status)) {
      throw PortalException.illegalTransition("only a cancelled session can be deleted; cancel it first");
    }
  }
}
