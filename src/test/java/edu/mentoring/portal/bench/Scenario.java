package edu.mentoring.portal.bench;

import java.util.List;

/** One benchmark: what it measures (for --help), the options it reads, and the run itself. */
interface Scenario {
  String name();

  String summary();

  List<Opt> options();

  /** Runs, printing its tables and filling {@code run.report()}; the caller writes the JSON. */
  void run(BenchRun run) throws Exception;
}
