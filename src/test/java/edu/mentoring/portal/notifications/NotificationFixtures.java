package edu.mentoring.portal.notifications;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import io.vertx.core.json.JsonObject;

import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sessions that cause notifications, and polling for what is pushed after a commit. */
final class NotificationFixtures {
  private NotificationFixtures() {
  }

  /** A one-hour 1:1 session on day {@code day} after 2027-01-01, so sessions of one test class never overlap. */
  static JsonObject session(Api api, School.Member mentor, School.Member student, int day) {
    return create(api, mentor, new JsonObject().put("studentId", student.id()), day);
  }

  static JsonObject groupSession(Api api, School.Member mentor, long cohortId, int day) {
    return create(api, mentor, new JsonObject().put("isGroupSession", true).put("cohortId", cohortId), day);
  }

  private static JsonObject create(Api api, School.Member mentor, JsonObject audience, int day) {
    String date = java.time.LocalDate.of(2027, 1, 1).plusDays(day).toString();
    JsonObject body = audience.put("title", "Session on " + date)
      .put("startTime", date + "T10:00:00+01:00").put("endTime", date + "T11:00:00+01:00");
    Api.Response r = api.post("/api/schedules", mentor.token(), body);
    assertEquals(201, r.status(), r::toString);
    return r.json();
  }

  /** Polls {@code read} until {@code ready} holds (5 s at most): events are stamped asynchronously after commit. */
  static <T> T eventually(Supplier<T> read, Predicate<T> ready) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    T value = read.get();
    while (!ready.test(value)) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition never held; last value: " + value);
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      value = read.get();
    }
    return value;
  }
}
