package dev.unroll.runtime.internal;

import dev.unroll.runtime.RuntimeOptions;
import org.nd4j.linalg.factory.Nd4j;

/**
 * libnd4j's "master" thread count and OpenBLAS's thread count, set once when the runtime first
 * multiplies matrices.
 *
 * <p><b>libnd4j's master threads.</b> Generated models spend their native time in matrix products and
 * call libnd4j's other ops only for copies, bias rows and such; with those ops on more than one
 * thread, libnd4j's idle worker competed for the cores with the products' threads and with the
 * model's Java loop, and on 2 cores small-batch passes ran 1.5–4× slower than with one (benchmarks
 * README, "libnd4j's master threads"). So the runtime asks libnd4j for one master thread, unless
 * {@code -Dunroll.nd4jMasterThreads} ({@link RuntimeOptions}) says otherwise: a count, or {@code keep} to leave ND4J's setting
 * alone (for an application whose own ND4J work wants them).
 *
 * <p><b>OpenBLAS's threads.</b> On ND4J's oneDNN build the large float32 products run on oneDNN's
 * OpenMP threads and the small ones in OpenBLAS, whose own thread pool then fought oneDNN's spinning
 * OpenMP workers for the cores: at 2 threads a tanh RNN at B32 H128 (step products of 0.5 M
 * multiply-adds) ran its forward pass in 10–14 ms instead of 2.5–3.4, and GRU and two-layer LSTM
 * passes lost 10–25% (benchmarks README, "OpenBLAS's threads on the oneDNN jar"). OpenBLAS on one
 * thread runs those small products on the calling thread, out of oneDNN's way. So with
 * {@code -Dunroll.blasThreads=auto} (the default) the runtime sets OpenBLAS to one thread when libnd4j
 * has oneDNN, and leaves it alone otherwise; a count sets it, {@code keep} leaves it alone.
 */
final class NativeThreads {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuntimeOptions.class);

  private static boolean configured;

  private NativeThreads() {}

  /**
   * Applies the thread switches of the {@link RuntimeOptions} in force the first time it is called in
   * this JVM, and logs the runtime's start-up line ({@link RuntimeOptions#describe()}).
   */
  static synchronized void configure() {
    if (configured) {
      return;
    }
    configured = true;
    RuntimeOptions options = RuntimeOptions.current();
    if (options.nd4jMasterThreads() > 0) {
      Nd4j.getEnvironment().setMaxMasterThreads(options.nd4jMasterThreads());
    }
    int blas = options.blasThreads() == RuntimeOptions.AUTO_THREADS
        ? (FusedLstm.oneDnn() ? 1 : RuntimeOptions.KEEP)
        : options.blasThreads();
    if (blas > 0) {
      Nd4j.factory().blas().setMaxThreads(blas);
    }
    LOG.info(options.describe());
  }
}
