package dev.unroll.examples;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import picocli.CommandLine.Option;

/**
 * {@code --threads}: how many threads ND4J's native loops (OpenMP) and OpenBLAS use. A mixin of every
 * command that computes.
 *
 * <p>The generated models run many small matrix products and element-wise kernels per time step.
 * With OpenMP's default of one thread per core, a machine whose cores are also busy with other work
 * (a build, another training run) loses most of its time to threads waiting for each other: measured
 * on two shared cores, one thread trained the small character model about 2.5 times faster than two.
 * So the default is 1 thread on machines with up to 4 cores and half the cores on larger ones.
 */
public final class Threads {

  @Option(names = "--threads", defaultValue = "0",
      description = "Threads for ND4J and OpenBLAS; 0 picks 1 on up to 4 cores, else half the cores (default: ${DEFAULT-VALUE}).")
  int threads;

  /** The count {@code --threads 0} stands for on this machine. */
  public static int automatic() {
    int cores = Runtime.getRuntime().availableProcessors();
    return cores <= 4 ? 1 : cores / 2;
  }

  /** Applies the option; returns the thread count in force. */
  public int apply() {
    return apply(threads > 0 ? threads : automatic());
  }

  /** Uses {@code n} threads for libnd4j's loops and OpenMP, and for OpenBLAS. */
  public static int apply(int n) {
    Environment env = Nd4j.getEnvironment();
    env.setMaxThreads(n);
    env.setMaxMasterThreads(n);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    Nd4j.factory().blas().setMaxThreads(n);
    return n;
  }
}
