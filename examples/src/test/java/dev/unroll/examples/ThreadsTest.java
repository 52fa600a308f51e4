package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.internal.FusedLstm;
import org.junit.jupiter.api.Test;

/** What {@code --threads} chooses and sets. */
class ThreadsTest {

  @Test
  void automaticCountsTheIdleCores() {
    assertEquals(2, Threads.automatic(2, 0.3)); // an idle 2-core machine: both
    assertEquals(1, Threads.automatic(2, 1.2)); // one core busy elsewhere
    assertEquals(1, Threads.automatic(2, 13)); // a shared machine under builds
    assertEquals(2, Threads.automatic(2, -1)); // load unknown: taken as idle
    assertEquals(1, Threads.automatic(1, 0));
    assertEquals(2, Threads.automatic(4, 0)); // at most 2 up to 4 cores
    assertEquals(8, Threads.automatic(16, 0)); // half the cores beyond
    assertEquals(4, Threads.automatic(16, 12));
  }

  @Test
  void applySetsOpenMpAndSaysWhatRuns() {
    try {
      Threads.apply(1);
      String d = Threads.describe();
      assertTrue(d.contains("OpenMP 1 thread(s)"), d);
      assertTrue(d.contains("libnd4j master 1"), d);
      if (FusedLstm.oneDnn()) {
        assertTrue(d.endsWith("OpenBLAS 1"), d);
      }
      Threads.apply(2);
      assertTrue(Threads.describe().contains("OpenMP 2 thread(s)"), Threads.describe());
    } finally {
      Threads.apply(1);
    }
  }
}
