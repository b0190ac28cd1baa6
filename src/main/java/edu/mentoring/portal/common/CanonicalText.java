package edu.mentoring.portal.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Text the database can store exactly: JSON's {@code \ud800} escapes can carry lone UTF-16 surrogates, which have
 * no UTF-8 form and would be stored as {@code ?}. A body carrying one is refused as a whole (400).
 */
public final class CanonicalText {
  private CanonicalText() {
  }

  /** True when every surrogate in {@code s} is half of a pair. */
  public static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** The first field (a dotted path) whose name or text is not well formed, or null. */
  public static String firstBrokenField(JsonObject json) {
    return broken(json, "");
  }

  private static String broken(Object value, String path) {
    if (value instanceof String s) return wellFormed(s) ? null : path.isEmpty() ? "body" : path;
    if (value instanceof JsonObject o) {
      for (var e : o) {
        String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (!wellFormed(e.getKey())) return "body";
        String found = broken(e.getValue(), at);
        if (found != null) return found;
      }
    } else if (value instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        String found = broken(a.getValue(i), path + "[" + i + "]");
        if (found != null) return found;
      }
    }
    return null;
  }
}
