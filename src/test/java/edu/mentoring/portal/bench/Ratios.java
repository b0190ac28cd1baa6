package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** portal / baseline for the figures that have a counterpart, recorded in the report and printed as a table. */
final class Ratios {
  private Ratios() {
  }

  /** {@code figures}: by target name, "portal" first; {@code paths}: dotted keys, e.g. {@code lastSocket.p99}. */
  static void print(Report report, Map<String, JsonObject> figures, List<String> paths) {
    JsonObject portal = figures.get("portal");
    List<String> baselines = figures.keySet().stream().filter(n -> !n.equals("portal")).toList();
    if (portal == null || baselines.isEmpty()) return;
    List<String> columns = new ArrayList<>(List.of("figure", "portal"));
    for (String b : baselines) {
      columns.add(b);
      columns.add("portal/" + b);
    }
    Table t = new Table("portal against the baselines (same run, same client)", columns.toArray(String[]::new));
    for (String path : paths) {
      Double mine = value(portal, path);
      List<Object> row = new ArrayList<>(List.of(path, mine == null ? "–" : mine));
      for (String b : baselines) {
        Double theirs = value(figures.get(b), path);
        row.add(theirs);
        if (mine != null && theirs != null) report.ratio(b, path, mine, theirs);
        row.add(report.ratioOf(b, path));
      }
      t.row(row.toArray());
    }
    report.print(t);
  }

  static Double value(JsonObject o, String path) {
    Object cur = o;
    for (String k : path.split("\\.")) {
      if (!(cur instanceof JsonObject j)) return null;
      cur = j.getValue(k);
    }
    return cur instanceof Number n ? n.doubleValue() : null;
  }
}
