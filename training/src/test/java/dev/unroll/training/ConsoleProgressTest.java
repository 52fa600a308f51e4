package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The progress bar's total and ETA, above all in runs with a wall-clock budget (once "? %"). */
class ConsoleProgressTest {

  private static final long MINUTE = 60_000_000_000L;

  @Test
  void theLimitIsTheSmallerOfIterationsAndEpochs() {
    assertEquals(-1, ConsoleProgress.limit(0, 0, 7));
    assertEquals(100, ConsoleProgress.limit(100, 0, 7));
    assertEquals(21, ConsoleProgress.limit(0, 3, 7));
    assertEquals(21, ConsoleProgress.limit(100, 3, 7));
  }

  @Test
  void aBudgetedRunsTotalIsItsSpeedOverTheWholeBudget() {
    ConsoleProgress bar = new ConsoleProgress(-1, 10 * MINUTE);
    // 50 iterations in the first minute of ten: 500 in all
    assertEquals(500, bar.total(50, MINUTE));
    // before the first step there is nothing to go by
    assertEquals(-1, bar.total(0, 0));
    // a limit that comes first is the total
    ConsoleProgress limited = new ConsoleProgress(200, 10 * MINUTE);
    assertEquals(200, limited.total(50, MINUTE));
    assertEquals(500, new ConsoleProgress(1000, 10 * MINUTE).total(50, MINUTE));
    // past the estimate (a slow start), never below what is done
    assertEquals(60, bar.total(60, 20 * MINUTE));
  }

  @Test
  void aBudgetedRunsEtaIsTheRestOfItsBudget() {
    ConsoleProgress bar = new ConsoleProgress(-1, 10 * MINUTE);
    bar.onStart(new Trainer.Progress(0, 0, Double.NaN, Double.NaN, 0.1, 0));
    try {
      long eta = bar.eta(5);
      assertTrue(eta <= 10 * MINUTE && eta > 9 * MINUTE, "eta " + eta);
    } finally {
      bar.close();
    }
  }
}
