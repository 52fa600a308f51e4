package dev.unroll.runtime;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * libnd4j's "master" thread count, set once when the runtime first multiplies matrices. Generated
 * models spend their native time in OpenBLAS (which keeps its own threads, {@code OMP_NUM_THREADS})
 * and call libnd4j's own ops only for copies, bias rows and such; with libnd4j's ops on more than one
 * thread, its idle worker competed for the cores with OpenBLAS's and with the model's Java loop, and
 * on 2 cores small-batch passes ran 1.5–4× slower than with one (benchmarks README, "libnd4j's
 * master threads"). So the runtime asks libnd4j for one master thread, unless
 * {@code -Dunroll.nd4jMasterThreads} says otherwise: a count, or {@code keep} to leave ND4J's setting
 * alone (for an application whose own ND4J work wants them).
 */
final class NativeThreads {
  /** The switch: a thread count, or {@code keep}; default 1. */
  static final String PROPERTY = "unroll.nd4jMasterThreads";

  private static boolean configured;

  private NativeThreads() {}

  /** Applies {@link #PROPERTY} the first time it is called in this JVM. */
  static synchronized void configure() {
    if (configured) {
      return;
    }
    configured = true;
    int n = parse(System.getProperty(PROPERTY, "1"));
    if (n > 0) {
      Nd4j.getEnvironment().setMaxMasterThreads(n);
    }
  }

  /** The thread count {@code value} asks for, 0 for {@code keep}. */
  static int parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("keep")) {
      return 0;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-D" + PROPERTY + " must be a thread count of at least 1 or 'keep', not '"
        + value + "'");
  }
}
