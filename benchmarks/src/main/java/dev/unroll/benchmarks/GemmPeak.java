package dev.unroll.benchmarks;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reference for "% of peak": {@code Nd4j.gemm} of two n×n matrices into a preallocated output. */
final class GemmPeak {
  /** The matrix size. */
  static final int N = 2048;

  private GemmPeak() {}

  /** Achieved GFLOP/s ({@code 2·n³} per product), median of a few products after warm-up. */
  static double gflops(DataType dataType) throws Exception {
    Nd4j.getRandom().setSeed(Workload.SEED);
    INDArray a = Nd4j.rand(dataType, N, N);
    INDArray b = Nd4j.rand(dataType, N, N);
    INDArray c = Nd4j.create(dataType, N, N);
    Timing t = Timing.measure(() -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0), 2, 7, 5);
    return 2.0 * N * N * N / (t.medianMs() * 1e6);
  }
}
