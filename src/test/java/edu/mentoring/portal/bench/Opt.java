package edu.mentoring.portal.bench;

/** One option of a scenario: its name (without {@code --}), default and meaning, for {@code --help} and the JSON. */
record Opt(String name, String defaultValue, String help) {
  static Opt of(String name, Object defaultValue, String help) {
    return new Opt(name, String.valueOf(defaultValue), help);
  }
}
