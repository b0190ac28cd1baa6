package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deliveries that never came, by kind, with a few examples of each: what to look for in the server's log. */
final class Missing {
  private static final int EXAMPLES = 5;
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final Map<String, List<String>> examples = new LinkedHashMap<>();

  synchronized void add(String kind, String example) {
    counts.merge(kind, 1, Integer::sum);
    List<String> ex = examples.computeIfAbsent(kind, k -> new ArrayList<>());
    if (ex.size() < EXAMPLES) ex.add(example);
  }

  synchronized int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  synchronized int count(String kind) {
    return counts.getOrDefault(kind, 0);
  }

  synchronized JsonObject toJson() {
    JsonObject j = new JsonObject().put("total", total());
    counts.forEach((k, v) -> j.put(k, new JsonObject().put("count", v)
      .put("examples", new JsonArray(new ArrayList<>(examples.get(k))))));
    return j;
  }
}
