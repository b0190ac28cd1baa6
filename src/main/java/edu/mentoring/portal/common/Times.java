package edu.mentoring.portal.common;

import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;

/** Times leave the portal in UTC ({@code ...Z}), whatever offset they came in with (contract). */
public final class Times {
  private Times() {
  }

  public static String utc(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant().toString();
  }

  public static String utc(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
