package dev.unroll.benchmarks;

import java.util.Arrays;

/**
 * A median of repeated wall-clock timings after warm-up, for the runners that are not JMH.
 *
 * @param medianMs the median, milliseconds
 * @param minMs    the fastest repetition
 * @param reps     repetitions timed
 */
public record Timing(double medianMs, double minMs, int reps) {

  /** Something to time; may throw. */
  @FunctionalInterface
  public interface Op {
    /** One repetition. */
    void run() throws Exception;
  }

  /** Warm-up lasts at least this long (JIT compilation of ND4J's Java side), within the budget. */
  public static final double MIN_WARMUP_SECONDS = 2.0;

  /**
   * Runs {@code op} untimed {@code warmup} times and for at least {@link #MIN_WARMUP_SECONDS}, but
   * no longer than half of {@code maxSeconds} (and at least once when {@code warmup > 0}); then up
   * to {@code reps} times timed, stopping early once {@code min(3, reps)} repetitions are in and
   * {@code maxSeconds} of timed work have passed.
   */
  public static Timing measure(Op op, int warmup, int reps, double maxSeconds) throws Exception {
    long budget = (long) (maxSeconds * 1e9);
    long minWarmup = (long) (Math.min(MIN_WARMUP_SECONDS, maxSeconds / 2) * 1e9);
    long warmStarted = System.nanoTime();
    for (int i = 0; warmup > 0; i++) {
      op.run();
      long spent = System.nanoTime() - warmStarted;
      if (spent > budget / 2 || (i + 1 >= warmup && spent >= minWarmup)) {
        break;
      }
    }
    double[] ms = new double[Math.max(1, reps)];
    int enough = Math.min(3, ms.length);
    int n = 0;
    long started = System.nanoTime();
    while (n < ms.length) {
      long t0 = System.nanoTime();
      op.run();
      ms[n++] = (System.nanoTime() - t0) / 1e6;
      if (n >= enough && System.nanoTime() - started > budget) {
        break;
      }
    }
    double[] done = Arrays.copyOf(ms, n);
    Arrays.sort(done);
    double median = n % 2 == 1 ? done[n / 2] : (done[n / 2 - 1] + done[n / 2]) / 2;
    return new Timing(median, done[0], n);
  }
}
