package edu.mentoring.portal.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The portal first, then each baseline asked for that can run here (a baseline that cannot is reported as
 * skipped, with why). Each target is measured and closed before the next one starts, so they never share the cores.
 */
final class FanoutTargets {
  static final Opt SIGN_UP_CONCURRENCY = Opt.of("signup-concurrency", 48,
    "sign-ups in flight while building the school");
  static final Opt READ_AFTER_WARMUP = Opt.of("read-after-warmup", "on",
    "on: after each warm-up batch every student reads their notifications (POST /api/notifications/read-all)");

  private FanoutTargets() {
  }

  static List<FanoutTarget> of(BenchRun run, Opt baselines) {
    List<FanoutTarget> targets = new ArrayList<>();
    targets.add(new PortalFanout(run, run.settings().integer(SIGN_UP_CONCURRENCY),
      run.settings().text(READ_AFTER_WARMUP).equals("on")));
    Peers peers = new Peers(run);
    for (String b : Peers.parse(run.settings().list(baselines))) {
      String why = peers.unavailable(b);
      if (why != null) run.report().baselineSkipped(b, why);
      else targets.add(new PeerFanout(run, peers, b));
    }
    return targets;
  }
}
