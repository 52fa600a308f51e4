package dev.unroll.benchmarks;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's thread settings: libnd4j's loops and OpenBLAS. libnd4j sizes its thread pool when it starts,
 * from {@code OMP_NUM_THREADS}, and in M2.1 ignores {@code setMaxThreads} afterwards; so a run with
 * fewer threads than cores needs {@code OMP_NUM_THREADS=N} in the environment as well.
 */
public final class Threads {
  private Threads() {}

  /**
   * Asks for {@code n} threads in libnd4j and OpenBLAS ({@code n <= 0}: keep the defaults). Returns
   * null when everything took, else a line saying what did not.
   */
  public static String apply(int n) {
    return apply(n, n);
  }

  /** As {@link #apply(int)}, with {@code nd4j} threads for libnd4j's own ops and {@code n} for OpenBLAS. */
  public static String apply(int n, int nd4j) {
    if (n <= 0) {
      return null;
    }
    Environment env = Nd4j.getEnvironment();
    env.setMaxThreads(nd4j);
    env.setMaxMasterThreads(nd4j);
    Nd4j.factory().blas().setMaxThreads(n);
    if (env.maxThreads() != nd4j) {
      return "libnd4j kept " + env.maxThreads() + " threads (it sizes its pool at start-up): set OMP_NUM_THREADS="
          + nd4j + " before starting the JVM";
    }
    return null;
  }

  /** For reports: e.g. {@code nd4j 2 / master 2 / blas 2}. */
  public static String describe() {
    Environment env = Nd4j.getEnvironment();
    return "nd4j " + env.maxThreads() + " / master " + env.maxMasterThreads()
        + " / blas " + Nd4j.factory().blas().getMaxThreads();
  }
}
