package dev.unroll.examples;

import dev.unroll.runtime.internal.FusedLstm;
import dev.unroll.runtime.RuntimeOptions;
import java.util.Locale;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import picocli.CommandLine.Option;

/**
 * {@code --threads n}: the OpenMP threads of libnd4j, a mixin of every command that computes.
 *
 * <p>What {@code n} sets, exactly: OpenMP's thread count ({@code omp_set_num_threads}) on the calling
 * thread, which oneDNN's matrix products (the large float32 ones, on the default {@code onednn-avx2}
 * jar) and libnd4j's OpenMP loops run on. Two further pools stay where the runtime puts them, because
 * they fought the OpenMP threads for the cores when raised along with them (runtime's
 * {@code NativeThreads}): libnd4j's master threads, which run its own op loops, stay at 1, and
 * OpenBLAS, which runs the small products on the oneDNN jar, stays at 1 there (at {@code n} on a jar
 * without oneDNN). {@code -Dunroll.nd4jMasterThreads} and {@code -Dunroll.blasThreads} set them
 * otherwise; this mixin sets both at once, as the runtime would at its first product, so that what a
 * command prints ({@link #describe()}) is what runs. libnd4j's own pool is sized when it loads, from
 * {@code OMP_NUM_THREADS} or the cores, and M2.1 ignores {@code setMaxThreads} afterwards, so that
 * pool is not {@code n}: it only bounds the master threads.
 *
 * <p>The default, {@code --threads 0}, counts the cores other work leaves idle: the cores minus the
 * one-minute load average, rounded, at least 1 and at most 2, or half the cores on machines of more than
 * 4. Measured on the 2-core development machine (examples README, "Threads"): with its cores idle,
 * 2 threads trained {@code char-lm curve}'s model 1.57 times as fast as 1 (475 against 303 iterations
 * in 5 minutes); with both cores busy (a load average of 13 from other builds), 2 OpenMP threads
 * waited for each other and {@code char-lm train} ran 7 times slower than on 1. The cap of half the
 * cores on larger machines is a guess (the products of these models are small), not a measurement.
 */
public final class Threads {

  @Option(names = "--threads", defaultValue = "0",
      description = "OpenMP threads of oneDNN's products and libnd4j's OpenMP loops (libnd4j's master"
          + " threads and OpenBLAS stay at 1 on the oneDNN jar); 0 counts the cores the load average leaves"
          + " idle, at least 1, at most 2 (half the cores beyond 4) (default: ${DEFAULT-VALUE}).")
  int threads;

  /** Why the thread count in force was chosen, for {@link #describe()}. */
  private static String choice = "not set by --threads";

  /** The count {@code --threads 0} stands for on this machine now. */
  public static int automatic() {
    return automatic(Runtime.getRuntime().availableProcessors(), load());
  }

  /**
   * The count {@code --threads 0} stands for on a machine of {@code cores} cores at a one-minute load
   * average of {@code load} (negative: unknown, taken as idle).
   */
  static int automatic(int cores, double load) {
    int cap = cores <= 4 ? Math.min(2, cores) : cores / 2;
    long idle = load < 0 ? cores : Math.round(cores - load);
    return (int) Math.max(1, Math.min(cap, idle));
  }

  private static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Applies the option; returns the thread count in force. */
  public int apply() {
    if (threads > 0) {
      choice = "--threads " + threads;
      return apply(threads);
    }
    int n = automatic();
    choice = String.format(Locale.ROOT, "automatic: load average %.2f on %d cores", load(),
        Runtime.getRuntime().availableProcessors());
    return apply(n);
  }

  /**
   * Uses {@code n} OpenMP threads for libnd4j's loops and oneDNN, and sets libnd4j's master threads
   * and OpenBLAS as the runtime does (see the class comment).
   */
  public static int apply(int n) {
    Environment env = Nd4j.getEnvironment();
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    RuntimeOptions options = RuntimeOptions.current();
    if (options.nd4jMasterThreads() != RuntimeOptions.KEEP) {
      env.setMaxMasterThreads(options.nd4jMasterThreads());
    }
    int blas = options.blasThreads() == RuntimeOptions.AUTO_THREADS ? (FusedLstm.oneDnn() ? 1 : n)
        : options.blasThreads();
    if (blas != RuntimeOptions.KEEP) {
      Nd4j.factory().blas().setMaxThreads(blas);
    }
    return n;
  }

  /**
   * "2 cores; OpenMP 2 thread(s) (automatic: load average 0.31 on 2 cores), libnd4j master 1 (of 2),
   * OpenBLAS 1": the settings in force.
   */
  public static String describe() {
    Environment env = Nd4j.getEnvironment();
    return String.format(Locale.ROOT, "%d cores; OpenMP %d thread(s) (%s), libnd4j master %d (of %d), OpenBLAS %d",
        Runtime.getRuntime().availableProcessors(), 
        NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(), choice, env.maxMasterThreads(),
        env.maxThreads(), Nd4j.factory().blas().getMaxThreads());
  }
}
