package dev.unroll.benchmarks;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/** ND4J's thread settings: libnd4j's OpenMP threads and OpenBLAS's, set together. */
public final class Threads {
  private Threads() {}

  /** Uses {@code n} threads for libnd4j's loops and for OpenBLAS; {@code n <= 0} keeps the defaults. Returns the count in force. */
  public static int apply(int n) {
    if (n > 0) {
      Environment env = Nd4j.getEnvironment();
      env.setMaxThreads(n);
      env.setMaxMasterThreads(n);
      Nd4j.factory().blas().setMaxThreads(n);
    }
    return Nd4j.factory().blas().getMaxThreads();
  }

  /** For reports: e.g. {@code nd4j 2 / master 2 / blas 2}. */
  public static String describe() {
    Environment env = Nd4j.getEnvironment();
    return "nd4j " + env.maxThreads() + " / master " + env.maxMasterThreads()
        + " / blas " + Nd4j.factory().blas().getMaxThreads();
  }
}
