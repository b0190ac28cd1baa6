package edu.mentoring.portal.accounts;

import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.realtime.Rooms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.templates.RowMapper;

import static edu.mentoring.portal.common.Times.utc;

/** All SQL of users and cohorts, and their row mappers. */
final class AccountSql {
  static final String USER_COLUMNS = "id, email, name, role, cohort_id, mentor_id, created_at";

  static final String INSERT_USER = """
    INSERT INTO users (email, password_hash, name, role, cohort_id)
    VALUES (#{email}, #{passwordHash}, #{name}, #{role}, #{cohortId})
    RETURNING""" + " " + USER_COLUMNS;

  static final String USER_BY_ID = "SELECT " + USER_COLUMNS + " FROM users WHERE id = #{id}";
  /** NO KEY: an event committing a notification for this user (a foreign-key share lock) is not held up. */
  static final String USER_BY_ID_FOR_UPDATE = USER_BY_ID + " FOR NO KEY UPDATE";

  /** A student's mentors by name (the assigned one and their cohort's), for their own page. */
  static final String MENTOR_NAMES = """
    SELECT id, name FROM users WHERE id IN (
      SELECT mentor_id FROM users WHERE id = #{studentId} AND mentor_id IS NOT NULL
      UNION SELECT cm.mentor_id FROM cohort_mentors cm JOIN users u ON u.cohort_id = cm.cohort_id WHERE u.id = #{studentId})
    ORDER BY name, id""";

  static final String LOGIN_BY_EMAIL = "SELECT " + USER_COLUMNS + ", password_hash FROM users WHERE lower(email) = lower(#{email})";

  static final String COUNT_USERS = "SELECT count(*) AS n FROM users";
  static final String ANY_ADMIN = "SELECT 1 FROM users WHERE role = 'admin' LIMIT 1";

  static final String ALL_STUDENTS = "SELECT " + USER_COLUMNS + " FROM users WHERE role = 'student' ORDER BY name, id";
  static final String ALL_MENTORS = "SELECT " + USER_COLUMNS + " FROM users WHERE role = 'mentor' ORDER BY name, id";

  /** "A mentor's students": assigned to them, or in a cohort they mentor. */
  static final String STUDENTS_OF_MENTOR = "SELECT " + USER_COLUMNS + " " + """
     FROM users u WHERE u.role = 'student' AND (u.mentor_id = #{mentorId}
       OR u.cohort_id IN (SELECT cohort_id FROM cohort_mentors WHERE mentor_id = #{mentorId}))
     ORDER BY u.name, u.id""";

  /** The mentors of a student: the assigned one and those of their cohort. */
  static final String MENTORS_OF_STUDENT = """
    SELECT mentor_id FROM users WHERE id = #{studentId} AND mentor_id IS NOT NULL
    UNION SELECT cm.mentor_id FROM cohort_mentors cm JOIN users u ON u.cohort_id = cm.cohort_id WHERE u.id = #{studentId}""";

  static final String ALL_MENTOR_IDS = "SELECT id AS mentor_id FROM users WHERE role = 'mentor'";
  /** Named mentor_id like the queries above, so one loop reads either. */
  static final String ALL_ADMIN_IDS = "SELECT id AS mentor_id FROM users WHERE role = 'admin'";

  static final String SET_MENTOR = """
    UPDATE users SET mentor_id = #{mentorId}, updated_at = now() WHERE id = #{id}
    RETURNING""" + " " + USER_COLUMNS;

  static final String SET_COHORT = """
    UPDATE users SET cohort_id = #{cohortId}, updated_at = now() WHERE id = #{id}
    RETURNING""" + " " + USER_COLUMNS;

  static final String INSERT_COHORT = "INSERT INTO cohorts (name) VALUES (#{name}) RETURNING id";
  static final String INSERT_COHORT_MENTOR = "INSERT INTO cohort_mentors (cohort_id, mentor_id) VALUES (#{cohortId}, #{mentorId})";
  static final String COUNT_MENTORS_IN = "SELECT count(*) AS n FROM users WHERE role = 'mentor' AND id = ANY(#{ids})";

  static final String COHORT_COLUMNS = """
    SELECT c.id, c.name, c.created_at,
           COALESCE((SELECT array_agg(cm.mentor_id ORDER BY cm.mentor_id) FROM cohort_mentors cm WHERE cm.cohort_id = c.id), '{}') AS mentor_ids,
           (SELECT count(*) FROM users u WHERE u.cohort_id = c.id) AS student_count
    FROM cohorts c""";
  static final String COHORT_BY_ID = COHORT_COLUMNS + " WHERE c.id = #{id}";
  static final String ALL_COHORTS = COHORT_COLUMNS + " ORDER BY c.name, c.id";
  static final String COHORTS_OF_MENTOR = COHORT_COLUMNS
    + " WHERE c.id IN (SELECT cohort_id FROM cohort_mentors WHERE mentor_id = #{userId}) ORDER BY c.name, c.id";
  static final String COHORTS_OF_STUDENT = COHORT_COLUMNS
    + " WHERE c.id = (SELECT cohort_id FROM users WHERE id = #{userId})";
  static final String COHORT_EXISTS = "SELECT id FROM cohorts WHERE id = #{id}";

  /** Every user's room grants in one statement: a mentor's students and cohorts as arrays (others: null). */
  static final String ROOM_GRANTS_MANY = """
    SELECT u.id, u.role, u.cohort_id,
      CASE WHEN u.role = 'mentor' THEN ARRAY(SELECT s.id FROM users s WHERE s.role = 'student'
        AND (s.mentor_id = u.id OR s.cohort_id IN (SELECT cohort_id FROM cohort_mentors WHERE mentor_id = u.id))
        ORDER BY s.id) END AS students,
      CASE WHEN u.role = 'mentor' THEN ARRAY(SELECT cohort_id FROM cohort_mentors WHERE mentor_id = u.id
        ORDER BY cohort_id) END AS cohorts
    FROM users u WHERE u.id = ANY(#{ids})""";


  static final RowMapper<JsonObject> USER = row -> new JsonObject()
    .put("id", row.getLong("id"))
    .put("email", row.getString("email"))
    .put("name", row.getString("name"))
    .put("role", row.getString("role"))
    .put("cohortId", row.getLong("cohort_id"))
    .put("mentorId", row.getLong("mentor_id"))
    .put("createdAt", utc(row, "created_at"));

  /** A row of {@link #ROOM_GRANTS_MANY}: the contract's room rules ("Rooms and who may join them"). */
  static final RowMapper<JsonObject> GRANTS = row -> {
    long userId = row.getLong("id");
    Role role = Role.parse(row.getString("role")).orElseThrow();
    JsonArray rooms = new JsonArray().add(Rooms.user(userId)).add(Rooms.role(role.wire()));
    if (role == Role.STUDENT) {
      rooms.add(Rooms.student(userId));
      if (row.getLong("cohort_id") != null) rooms.add(Rooms.cohort(row.getLong("cohort_id")));
    } else if (role == Role.MENTOR) {
      rooms.add(Rooms.mentor(userId));
      for (Long student : row.getArrayOfLongs("students")) rooms.add(Rooms.student(student));
      for (Long cohort : row.getArrayOfLongs("cohorts")) rooms.add(Rooms.cohort(cohort));
    }
    return new JsonObject().put("userId", userId).put("role", role.wire()).put("all", role == Role.ADMIN)
      .put("rooms", rooms);
  };

  static final RowMapper<JsonObject> COHORT = row -> {
    JsonArray mentorIds = new JsonArray();
    Long[] ids = row.getArrayOfLongs("mentor_ids");
    if (ids != null) for (Long id : ids) mentorIds.add(id);
    return new JsonObject()
      .put("id", row.getLong("id"))
      .put("name", row.getString("name"))
      .put("mentorIds", mentorIds)
      .put("studentCount", row.getLong("student_count"))
      .put("createdAt", utc(row, "created_at"));
  };

  private AccountSql() {
  }
}
