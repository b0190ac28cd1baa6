package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Session times that never overlap: slot k starts 30 minutes after slot k-1 and lasts 20, from tomorrow on. One
 * counter per run, so no mentor and no student is ever double-booked (a 409 would be a failed write, not a figure).
 */
final class Slots {
  private final OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).plusDays(1).withHour(0).withMinute(0)
    .withSecond(0).withNano(0);
  private final AtomicInteger next = new AtomicInteger();

  record Slot(int n, OffsetDateTime start, OffsetDateTime end) {
    /** The body of POST /api/schedules for a group session of {@code cohort} in this slot. */
    JsonObject groupSession(long cohort) {
      return times().put("title", "Group " + n).put("isGroupSession", true).put("cohortId", cohort);
    }

    /** The body of POST /api/schedules for a 1:1 session with {@code student} in this slot. */
    JsonObject oneToOne(long student) {
      return times().put("title", "1:1 " + n).put("studentId", student);
    }

    private JsonObject times() {
      return new JsonObject().put("startTime", start.toString()).put("endTime", end.toString());
    }
  }

  Slot next() {
    int n = next.getAndIncrement();
    OffsetDateTime start = base.plusMinutes(30L * n);
    return new Slot(n, start, start.plusMinutes(20));
  }
}
