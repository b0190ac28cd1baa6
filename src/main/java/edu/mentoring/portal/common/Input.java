package edu.mentoring.portal.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Reads and checks fields of a JSON body (or of query parameters, which arrive as strings), collecting every problem
 * so that one 400 names them all. Call {@link #validate()} once all fields are read.
 */
public final class Input {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

  private final JsonObject json;
  private final JsonArray details = new JsonArray();

  public Input(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  public boolean has(String field) {
    return json.getValue(field) != null;
  }

  public void problem(String field, String problem) {
    details.add(new JsonObject().put("field", field).put("problem", problem));
  }

  public Input check(boolean ok, String field, String problem) {
    if (!ok) problem(field, problem);
    return this;
  }

  /** Throws {@code validation_failed} listing every problem found so far. */
  public void validate() {
    if (!details.isEmpty()) {
      JsonObject first = details.getJsonObject(0);
      throw new PortalException(ErrorCode.VALIDATION_FAILED,
        first.getString("field") + " " + first.getString("problem"), details.copy());
    }
  }

  public String text(String field, int min, int max) {
    Object v = json.getValue(field);
    if (v == null) {
      problem(field, "is required");
      return null;
    }
    return checkText(field, v, min, max);
  }

  public String optionalText(String field, int max) {
    Object v = json.getValue(field);
    return v == null ? null : checkText(field, v, 0, max);
  }

  private String checkText(String field, Object v, int min, int max) {
    if (!(v instanceof String s)) {
      problem(field, "must be a string");
      return null;
    }
    if (s.indexOf('\u0000') >= 0) {
      problem(field, "must not contain NUL characters");
      return null;
    }
    if (!CanonicalText.wellFormed(s)) {
      problem(field, "must be valid Unicode text (no lone surrogates)");
      return null;
    }
    int length = s.codePointCount(0, s.length());
    if (min > 0 && s.isBlank()) {
      problem(field, "must not be blank");
      return null;
    }
    if (length < min || length > max) {
      problem(field, "must be " + min + " to " + max + " characters");
      return null;
    }
    return s;
  }

  public String email(String field) {
    String s = text(field, 3, 254);
    if (s != null && !EMAIL.matcher(s.trim()).matches()) {
      problem(field, "must be an email address");
      return null;
    }
    return s == null ? null : s.trim();
  }

  public Long id(String field) {
    Object v = json.getValue(field);
    if (v == null) {
      problem(field, "is required");
      return null;
    }
    return checkId(field, v);
  }

  public Long optionalId(String field) {
    Object v = json.getValue(field);
    return v == null ? null : checkId(field, v);
  }

  private Long checkId(String field, Object v) {
    long id;
    if (v instanceof Integer || v instanceof Long) {
      id = ((Number) v).longValue();
    } else if (v instanceof String s && s.matches("\\d{1,18}")) {
      id = Long.parseLong(s); // query parameters arrive as strings
    } else {
      problem(field, "must be a positive integer");
      return null;
    }
    if (id <= 0) {
      problem(field, "must be a positive integer");
      return null;
    }
    return id;
  }

  public JsonArray idList(String field, boolean required) {
    Object v = json.getValue(field);
    if (v == null) {
      if (required) problem(field, "is required");
      return new JsonArray();
    }
    if (!(v instanceof JsonArray arr)) {
      problem(field, "must be an array of ids");
      return new JsonArray();
    }
    JsonArray out = new JsonArray();
    for (Object o : arr) {
      Long id = checkId(field, o);
      if (id == null) return new JsonArray();
      if (!out.contains(id)) out.add(id);
    }
    if (out.size() > 100) problem(field, "must have at most 100 ids");
    return out;
  }

  public Boolean optionalBool(String field) {
    Object v = json.getValue(field);
    if (v == null) return null;
    if (v instanceof Boolean b) return b;
    if (v instanceof String s && (s.equals("true") || s.equals("false"))) return Boolean.valueOf(s);
    problem(field, "must be true or false");
    return null;
  }

  public String oneOf(String field, Collection<String> allowed, boolean required) {
    Object v = json.getValue(field);
    if (v == null) {
      if (required) problem(field, "is required");
      return null;
    }
    if (!(v instanceof String s) || !allowed.contains(s)) {
      problem(field, "must be one of " + String.join(", ", allowed));
      return null;
    }
    return s;
  }

  /** ISO-8601 with an explicit offset; a local time would be ambiguous, so it is refused (contract). */
  public OffsetDateTime time(String field, boolean required) {
    Object v = json.getValue(field);
    if (v == null) {
      if (required) problem(field, "is required");
      return null;
    }
    if (!(v instanceof String s)) {
      problem(field, "must be an ISO-8601 time with an offset");
      return null;
    }
    try {
      OffsetDateTime t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      if (t.getYear() < 1970 || t.getYear() > 9999) {
        problem(field, "is out of range");
        return null;
      }
      return t;
    } catch (DateTimeParseException e) {
      problem(field, "must be an ISO-8601 time with an offset");
      return null;
    }
  }

  /** A cursor such as {@code after}: absent gives {@code dflt}; 0 is allowed. */
  public long cursor(String field, long dflt) {
    Object v = json.getValue(field);
    if (v == null) return dflt;
    String s = v.toString();
    if (s.matches("\\d{1,18}")) return Long.parseLong(s);
    problem(field, "must be a non-negative integer");
    return dflt;
  }

  /** A page size: absent gives {@code dflt}; out of range is a client mistake. */
  public int limit(String field, int dflt, int max) {
    Object v = json.getValue(field);
    if (v == null) return dflt;
    try {
      int n = v instanceof Number num ? num.intValue() : Integer.parseInt(v.toString());
      if (n >= 1 && n <= max) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problem(field, "must be an integer from 1 to " + max);
    return dflt;
  }
}
