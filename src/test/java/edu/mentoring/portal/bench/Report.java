package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What one scenario run found: the machine and versions, every setting, every figure, the baselines and the
 * portal/baseline ratios, and the tables as printed. Written to {@code <out>/<scenario>-<yyyyMMdd-HHmmss>.json}.
 */
final class Report {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final String scenario;
  private final LocalDateTime started = LocalDateTime.now();
  private final JsonObject json = new JsonObject();
  private final JsonObject results = new JsonObject();
  private final JsonObject baselines = new JsonObject();
  private final JsonObject ratios = new JsonObject();
  private final JsonArray notes = new JsonArray();
  private final List<Table> tables = new ArrayList<>();

  Report(String scenario) {
    this.scenario = scenario;
    json.put("scenario", scenario).put("startedAt", started.atOffset(ZoneOffset.systemDefault().getRules()
      .getOffset(started)).toString());
  }

  String scenario() {
    return scenario;
  }

  /** A figure of the portal (a number, text or a nested JSON object). */
  Report result(String key, Object value) {
    results.put(key, safe(value));
    return this;
  }

  JsonObject results() {
    return results;
  }

  Report baseline(String name, JsonObject figures) {
    baselines.put(name, figures);
    return this;
  }

  /** A baseline that could not run, with why: a skip is a line in the report, not a failure. */
  Report baselineSkipped(String name, String why) {
    System.out.println("baseline " + name + " skipped: " + why);
    baselines.put(name, new JsonObject().put("skipped", why));
    return this;
  }

  /** portal / baseline for one figure; recorded only when both are finite and the baseline is not zero. */
  Report ratio(String baseline, String figure, double portal, double base) {
    if (Double.isFinite(portal) && Double.isFinite(base) && base != 0) {
      JsonObject r = ratios.getJsonObject(baseline);
      if (r == null) ratios.put(baseline, r = new JsonObject());
      r.put(figure, Samples.round(portal / base));
    }
    return this;
  }

  Double ratioOf(String baseline, String figure) {
    JsonObject r = ratios.getJsonObject(baseline);
    return r == null ? null : r.getDouble(figure);
  }

  Report note(String text) {
    System.out.println("note: " + text);
    notes.add(text);
    return this;
  }

  Report section(String key, JsonObject value) {
    json.put(key, value);
    return this;
  }

  void print(Table t) {
    tables.add(t);
    System.out.println();
    System.out.print(t.render());
  }

  Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    String base = scenario + "-" + started.format(STAMP);
    Path file = dir.resolve(base + ".json");
    for (int n = 2; Files.exists(file); n++) file = dir.resolve(base + "-" + n + ".json");
    JsonArray ts = new JsonArray();
    tables.forEach(t -> ts.add(t.toJson()));
    json.put("results", results).put("baselines", baselines).put("ratios", ratios).put("notes", notes)
      .put("tables", ts).put("finishedAt", LocalDateTime.now().toString());
    Files.writeString(file, json.encodePrettily());
    System.out.println();
    System.out.println("JSON: " + file);
    return file;
  }

  /** JSON has no NaN or infinity: those become null. */
  static Object safe(Object v) {
    if (v instanceof Double d && !Double.isFinite(d)) return null;
    if (v instanceof Float f && !Float.isFinite(f)) return null;
    return v;
  }
}
