package edu.mentoring.portal.metrics;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Snapshot budget: a burst passes, then snapshots get at most 1/20 of the time")
class SnapshotBudgetTest {

  @Test
  @DisplayName("up to a second of snapshots in a row starts at once; past that, each further ms waits 20 ms of refill")
  void burstThenShare() {
    SnapshotBudget budget = new SnapshotBudget(20, 1_000, 0);
    budget.spend(900, 0);
    assertEquals(0, budget.nextStart(0), "within the burst");
    budget.spend(300, 0); // 200 ms over
    assertEquals(4_000, budget.nextStart(0), "200 ms over the budget takes 20 × 200 ms to refill");
    assertEquals(4_000, budget.nextStart(1_000), "the same moment, asked later");
    assertEquals(4_000, budget.nextStart(4_000));
  }

  @Test
  @DisplayName("sustained snapshots settle at one twentieth of the time; idle time refills up to the burst, no more")
  void longRunShare() {
    SnapshotBudget budget = new SnapshotBudget(20, 1_000, 0);
    long now = 0;
    long spent = 0;
    for (int i = 0; i < 1_000; i++) {
      now = budget.nextStart(now);
      budget.spend(50, now);
      spent += 50;
    }
    double share = spent / (double) budget.nextStart(now);
    assertEquals(1.0 / 20, share, 0.002, "long-run share");
    SnapshotBudget idle = new SnapshotBudget(20, 1_000, 0);
    idle.spend(1_000, 0);
    assertEquals(3_600_000, idle.nextStart(3_600_000), "refilled after an hour");
    idle.spend(1_100, 3_600_000);
    assertEquals(3_600_000 + 2_000, idle.nextStart(3_600_000), "but never beyond the burst");
  }
}
