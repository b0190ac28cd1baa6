package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Steady state, not a cold JIT: runs the measured operation in batches until the JIT compilers of the server and of
 * this client use under 3% of both processes' CPU for two batches in a row (a fixed 300 events once left C2 using
 * ~4 ms of CPU per event, on the cores being measured). {@code --warmup off} skips it, a number runs that many.
 */
final class Warmup {
  static final Opt OPTION = Opt.of("warmup", "quiet",
    "quiet: until the JIT compilers are quiet (<3% of CPU for 2 batches); off; or a number of operations");
  private static final double JIT_QUIET = 0.03;
  private static final int MIN_BATCHES = 3;
  private static final int MAX_BATCHES = 60;

  interface Batch {
    void run(int operations) throws Exception;
  }

  private Warmup() {
  }

  /** {@code pids}: the processes whose JIT must settle (this one is always included). */
  static JsonObject run(String mode, int batch, Batch body, long... pids) throws Exception {
    long[] all = new long[pids.length + 1];
    System.arraycopy(pids, 0, all, 0, pids.length);
    all[pids.length] = ProcessHandle.current().pid();
    long t0 = System.nanoTime();
    JsonObject result = new JsonObject().put("mode", mode);
    if (mode.equals("off")) return result.put("operations", 0);
    if (!mode.equals("quiet")) {
      int n = Integer.parseInt(mode);
      for (int done = 0; done < n; done += batch) body.run(Math.min(batch, n - done));
      return result.put("operations", n).put("seconds", Samples.round((System.nanoTime() - t0) / 1e9));
    }
    int done = 0;
    int quiet = 0;
    double share = 1;
    for (int b = 0; b < MAX_BATCHES; b++) {
      Map<String, Long> before = ProcessProbe.threadTicks(all);
      body.run(batch);
      done += batch;
      share = ProcessProbe.jitShare(before, ProcessProbe.threadTicks(all));
      quiet = share < JIT_QUIET ? quiet + 1 : 0;
      System.out.printf("  warm-up batch %d: %d operations, JIT compilers at %.1f%% of the CPU%n", b + 1, done,
        share * 100);
      if (b + 1 >= MIN_BATCHES && quiet >= 2) break;
    }
    boolean settled = quiet >= 2;
    System.out.printf("warm-up: %d operations; JIT compilers at %.1f%% of the CPU over the last batch%s%n", done,
      share * 100, settled ? "" : " (not settled: the figures include compiling)");
    return result.put("operations", done).put("batch", batch).put("lastBatchJitShare", Samples.round(share))
      .put("settled", settled).put("seconds", Samples.round((System.nanoTime() - t0) / 1e9));
  }
}
