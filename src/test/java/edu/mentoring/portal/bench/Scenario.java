package edu.mentoring.portal.bench;

import java.util.List;

/** One benchmark: its name, what it measures (for --help), the options it reads, and the run itself. */
abstract class Scenario {
  private final String name;
  private final String summary;
  private final List<Opt> options;

  Scenario(String name, String summary, Opt... options) {
    this.name = name;
    this.summary = summary;
    this.options = List.of(options);
  }

  final String name() {
    return name;
  }

  final String summary() {
    return summary;
  }

  final List<Opt> options() {
    return options;
  }

  /** Runs, printing its tables and filling {@code run.report()}; the caller writes the JSON. */
  abstract void run(BenchRun run) throws Exception;
}
