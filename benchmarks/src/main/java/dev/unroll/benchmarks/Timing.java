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

  /**
   * Runs {@code op} {@code warmup} times untimed, then up to {@code reps} times timed; stops early
   * once at least three repetitions are in and {@code maxSeconds} of timed work have passed.
   */
  public static Timing measure(Op op, int warmup, int reps, double maxSeconds) throws Exception {
    for (int i = 0; i < warmup; i++) {
      op.run();
    }
    double[] ms = new double[Math.max(1, reps)];
    int n = 0;
    long budget = (long) (maxSeconds * 1e9);
    long started = System.nanoTime();
    while (n < ms.length) {
      long t0 = System.nanoTime();
      op.run();
      ms[n++] = (System.nanoTime() - t0) / 1e6;
      if (n >= 3 && System.nanoTime() - started > budget) {
        break;
      }
    }
    double[] done = Arrays.copyOf(ms, n);
    Arrays.sort(done);
    double median = n % 2 == 1 ? done[n / 2] : (done[n / 2 - 1] + done[n / 2]) / 2;
    return new Timing(median, done[0], n);
  }
}
