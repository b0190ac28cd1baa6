package edu.mentoring.portal.schedules;

import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Schedule workflow rules, without a database")
class ScheduleWorkflowTest {
  private static final Actor MENTOR = new Actor(2, Role.MENTOR);
  private static final Actor ADMIN = new Actor(1, Role.ADMIN);
  private static final Actor STUDENT = new Actor(3, Role.STUDENT);

  private static void illegal(Executable e) {
    assertEquals(ErrorCode.ILLEGAL_TRANSITION, assertThrows(PortalException.class, e).code());
  }

  @Test
  @DisplayName("from scheduled: cancelled at any time; completed and missed only once started; never back to scheduled")
  void fromScheduled() {
    for (Actor a : List.of(MENTOR, ADMIN)) {
      assertDoesNotThrow(() -> ScheduleWorkflow.checkStatusChange(a, "scheduled", "cancelled", false));
      assertDoesNotThrow(() -> ScheduleWorkflow.checkStatusChange(a, "scheduled", "completed", true));
      assertDoesNotThrow(() -> ScheduleWorkflow.checkStatusChange(a, "scheduled", "missed", true));
      illegal(() -> ScheduleWorkflow.checkStatusChange(a, "scheduled", "completed", false));
      illegal(() -> ScheduleWorkflow.checkStatusChange(a, "scheduled", "missed", false));
      illegal(() -> ScheduleWorkflow.checkStatusChange(a, "scheduled", "scheduled", true));
    }
  }

  @Test
  @DisplayName("completed, cancelled and missed are final; students change no status at all")
  void finalAndStudents() {
    for (String from : List.of("completed", "cancelled", "missed")) {
      for (String to : ScheduleWorkflow.STATUSES) {
        illegal(() -> ScheduleWorkflow.checkStatusChange(MENTOR, from, to, true));
      }
      illegal(() -> ScheduleWorkflow.checkEditable(from));
    }
    for (String to : ScheduleWorkflow.STATUSES) {
      illegal(() -> ScheduleWorkflow.checkStatusChange(STUDENT, "scheduled", to, true));
    }
    assertDoesNotThrow(() -> ScheduleWorkflow.checkEditable("scheduled"));
  }

  @Test
  @DisplayName("attendance: after the start, not on a cancelled session; only a finished 1:1 marked attended completes")
  void attendance() {
    illegal(() -> ScheduleWorkflow.checkAttendance("scheduled", false));
    illegal(() -> ScheduleWorkflow.checkAttendance("cancelled", true));
    for (String s : List.of("scheduled", "completed", "missed")) {
      assertDoesNotThrow(() -> ScheduleWorkflow.checkAttendance(s, true));
    }
    assertTrue(ScheduleWorkflow.completesByAttendance(false, "scheduled", "attended", true));
    assertFalse(ScheduleWorkflow.completesByAttendance(false, "scheduled", "attended", false));
    assertFalse(ScheduleWorkflow.completesByAttendance(false, "scheduled", "absent", true));
    assertFalse(ScheduleWorkflow.completesByAttendance(true, "scheduled", "attended", true));
    assertFalse(ScheduleWorkflow.completesByAttendance(false, "missed", "attended", true));
  }

  @Test
  @DisplayName("only a cancelled session may be deleted")
  void deletable() {
    assertDoesNotThrow(() -> ScheduleWorkflow.checkDeletable("cancelled"));
    for (String s : List.of("scheduled", "completed", "missed")) {
      illegal(() -> ScheduleWorkflow.checkDeletable(s));
    }
  }
}
