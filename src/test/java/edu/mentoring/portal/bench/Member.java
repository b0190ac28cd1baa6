package edu.mentoring.portal.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A user of the benchmark's school, with their own account and token: a student (in at most one cohort, with at
 * most one assigned mentor) or a mentor (of some cohorts).
 */
record Member(long id, String role, String email, String token, Long cohortId, Long mentorId, List<Long> cohorts) {
  static final String STUDENT = "student";
  static final String MENTOR = "mentor";

  boolean isStudent() {
    return STUDENT.equals(role);
  }

  Member inCohort(long cohort) {
    return new Member(id, role, email, token, cohort, mentorId, cohorts);
  }

  Member withMentor(long mentor) {
    return new Member(id, role, email, token, cohortId, mentor, cohorts);
  }

  Member mentoring(long cohort) {
    List<Long> c = new ArrayList<>(cohorts);
    c.add(cohort);
    return new Member(id, role, email, token, cohortId, mentorId, List.copyOf(c));
  }

  /**
   * The rooms the web UI joins for this user (webroot/app.js, roomsFor): {@code user:}, {@code role:}, and a
   * student's {@code student:} and {@code cohort:}, a mentor's {@code mentor:} and a {@code cohort:} per cohort.
   */
  List<String> rooms() {
    LinkedHashSet<String> rooms = new LinkedHashSet<>(List.of("user:" + id, "role:" + role));
    if (isStudent()) {
      rooms.add("student:" + id);
      if (cohortId != null) rooms.add("cohort:" + cohortId);
    } else {
      rooms.add("mentor:" + id);
      for (Long c : cohorts) rooms.add("cohort:" + c);
    }
    return List.copyOf(rooms);
  }
}
