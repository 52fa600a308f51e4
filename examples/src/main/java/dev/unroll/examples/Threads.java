package dev.unroll.examples;

import dev.unroll.runtime.FusedLstm;
import java.util.Locale;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import picocli.CommandLine.Option;

/**
 * {@code --threads n}: the OpenMP threads of libnd4j, a mixin of every command that computes.
 *
 * <p>What {@code n} sets, exactly: OpenMP's thread count and libnd4j's {@code maxThreads}, which the
 * native element-wise loops and oneDNN's matrix products (the large float32 ones, on the default
 * {@code onednn-avx2} jar) run on. Two further pools stay where the runtime puts them, because they
 * fought the OpenMP threads for the cores when raised along with them (runtime's {@code NativeThreads}):
 * libnd4j's master threads stay at 1, and OpenBLAS, which runs the small products on the oneDNN jar,
 * stays at 1 there (at {@code n} on a jar without oneDNN). {@code -Dunroll.nd4jMasterThreads} and
 * {@code -Dunroll.blasThreads} set them otherwise; this mixin sets both pools at once, as the runtime
 * would at its first product, so that what a command prints ({@link #describe()}) is what runs.
 *
 * <p>The default, {@code --threads 0}: every core up to 2, half the cores (at least 2) beyond that.
 * Measured with {@code char-lm train} on a 2-core machine, side by side in one session (examples
 * README, "Threads"): 2 threads ran more iterations per second than 1. Beyond 2 cores the default
 * stays at half the cores, a guess for machines whose other cores run other work, not a measurement.
 */
public final class Threads {

  @Option(names = "--threads", defaultValue = "0",
      description = "OpenMP threads of libnd4j's loops and oneDNN's products (libnd4j's master threads"
          + " and OpenBLAS stay at 1 on the oneDNN jar); 0 picks all cores up to 2, else half the cores"
          + " (default: ${DEFAULT-VALUE}).")
  int threads;

  /** The count {@code --threads 0} stands for on this machine. */
  public static int automatic() {
    return automatic(Runtime.getRuntime().availableProcessors());
  }

  /** The count {@code --threads 0} stands for on a machine of {@code cores} cores. */
  static int automatic(int cores) {
    return cores <= 2 ? Math.max(1, cores) : Math.max(2, cores / 2);
  }

  /** Applies the option; returns the thread count in force. */
  public int apply() {
    return apply(threads > 0 ? threads : automatic());
  }

  /**
   * Uses {@code n} OpenMP threads for libnd4j's loops and oneDNN, and sets libnd4j's master threads
   * and OpenBLAS as the runtime does (see the class comment).
   */
  public static int apply(int n) {
    Environment env = Nd4j.getEnvironment();
    env.setMaxThreads(n);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    int master = count("unroll.nd4jMasterThreads", 1);
    if (master > 0) {
      env.setMaxMasterThreads(master);
    }
    int blas = count("unroll.blasThreads", FusedLstm.oneDnn() ? 1 : n);
    if (blas > 0) {
      Nd4j.factory().blas().setMaxThreads(blas);
    }
    return n;
  }

  /** The count a runtime switch asks for ({@code fallback} when unset or {@code auto}), 0 for {@code keep}. */
  private static int count(String property, int fallback) {
    String v = System.getProperty(property, "auto").trim().toLowerCase(Locale.ROOT);
    if (v.equals("auto")) {
      return fallback;
    }
    if (v.equals("keep")) {
      return 0;
    }
    try {
      return Math.max(1, Integer.parseInt(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + property + " must be a thread count, 'keep' or 'auto', not '" + v + "'");
    }
  }

  /** "2 cores; OpenMP 2 threads, libnd4j master 1, OpenBLAS 1": the settings in force. */
  public static String describe() {
    Environment env = Nd4j.getEnvironment();
    return String.format(Locale.ROOT, "%d cores; OpenMP %d thread(s), libnd4j master %d, OpenBLAS %d",
        Runtime.getRuntime().availableProcessors(), env.maxThreads(), env.maxMasterThreads(),
        Nd4j.factory().blas().getMaxThreads());
  }
}
