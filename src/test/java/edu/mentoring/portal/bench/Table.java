package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A titled text table, printed aligned and kept in the JSON as {@code {title, columns, rows}}. */
final class Table {
  private final String title;
  private final List<String> columns;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String title, String... columns) {
    this.title = title;
    this.columns = List.of(columns);
  }

  /** A row; numbers are printed with up to one decimal (two below 10), null as "–". */
  Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) r.add(cell(c));
    rows.add(r);
    return this;
  }

  static String cell(Object c) {
    if (c == null) return "–";
    if (c instanceof Double d) {
      if (!Double.isFinite(d)) return "–";
      return Math.abs(d) < 10 ? String.format(Locale.ROOT, "%.2f", d) : String.format(Locale.ROOT, "%.1f", d);
    }
    if (c instanceof Float f) return cell(f.doubleValue());
    return String.valueOf(c);
  }

  String render() {
    int[] width = new int[columns.size()];
    for (int i = 0; i < width.length; i++) width[i] = columns.get(i).length();
    for (List<String> r : rows) {
      for (int i = 0; i < r.size() && i < width.length; i++) width[i] = Math.max(width[i], r.get(i).length());
    }
    StringBuilder sb = new StringBuilder(title).append('\n');
    line(sb, columns, width);
    StringBuilder rule = new StringBuilder();
    for (int w : width) rule.append("-".repeat(w)).append("  ");
    sb.append(rule.toString().stripTrailing()).append('\n');
    for (List<String> r : rows) line(sb, r, width);
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      // first column left-aligned (names), figures right-aligned
      l.append(i == 0 ? pad(c, width[i], false) : pad(c, i < width.length ? width[i] : c.length(), true)).append("  ");
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }

  private static String pad(String s, int w, boolean right) {
    String fill = " ".repeat(Math.max(0, w - s.length()));
    return right ? fill + s : s + fill;
  }

  JsonObject toJson() {
    JsonArray rs = new JsonArray();
    rows.forEach(r -> rs.add(new JsonArray(new ArrayList<>(r))));
    return new JsonObject().put("title", title).put("columns", new JsonArray(new ArrayList<>(columns))).put("rows", rs);
  }
}
