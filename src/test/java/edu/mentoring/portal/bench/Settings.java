package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of one run ({@code --name value} or {@code --name=value}), read through {@link Opt}s so that every
 * setting a scenario used, given or default, ends up in its JSON.
 */
final class Settings {
  private final Map<String, String> given;
  private final JsonObject used = new JsonObject();

  Settings(Map<String, String> given) {
    this.given = new LinkedHashMap<>(given);
  }

  static Settings parse(List<String> args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) throw new IllegalArgumentException("expected --option, got " + a);
      int eq = a.indexOf('=');
      if (eq > 0) {
        given.put(a.substring(2, eq), a.substring(eq + 1));
      } else {
        if (i + 1 >= args.size()) throw new IllegalArgumentException(a + " needs a value");
        given.put(a.substring(2), args.get(++i));
      }
    }
    return new Settings(given);
  }

  /** The given options a scenario knows, plus the common ones (with {@code all}, each scenario reads its own). */
  Map<String, String> givenFor(Collection<Opt> options) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Opt o : options) if (given.containsKey(o.name())) m.put(o.name(), given.get(o.name()));
    for (Opt o : BenchRun.COMMON) if (given.containsKey(o.name())) m.put(o.name(), given.get(o.name()));
    return m;
  }

  String text(Opt o) {
    String v = given.getOrDefault(o.name(), o.defaultValue());
    used.put(o.name(), v);
    return v;
  }

  int integer(Opt o) {
    try {
      return Integer.parseInt(text(o).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + o.name() + " must be a whole number, got " + given.get(o.name()));
    }
  }

  double number(Opt o) {
    try {
      return Double.parseDouble(text(o).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + o.name() + " must be a number, got " + given.get(o.name()));
    }
  }

  List<String> list(Opt o) {
    String v = text(o).trim();
    if (v.isEmpty() || v.equals("none")) return List.of();
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  List<Double> numbers(Opt o) {
    List<Double> out = new ArrayList<>();
    for (String s : list(o)) out.add(Double.parseDouble(s));
    return out;
  }

  /** {@code KEY=VALUE,KEY=VALUE} */
  Map<String, String> pairs(Opt o) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : list(o)) {
      int eq = kv.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("--" + o.name() + " takes KEY=VALUE pairs, got " + kv);
      out.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return out;
  }

  /** Options given that no scenario knows: almost always a typo, which would silently measure the default. */
  Set<String> unknown(Collection<Opt> known) {
    Set<String> names = new TreeSet<>(given.keySet());
    known.forEach(o -> names.remove(o.name()));
    return names;
  }

  JsonObject used() {
    return used.copy();
  }
}
