package dev.unroll.benchmarks;

import dev.unroll.runtime.internal.Ops;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One float32 product {@code c += a · wᵀ} into a preallocated output, at the sizes generated models
 * run: the step products of shapes a-rnn, a-gru, a, b and d, and two whole-sequence input
 * projections. Which path the runtime takes is the JVM's {@code -Dunroll.directBlas}, so compare the
 * paths with two runs:
 *
 * <pre>
 *   OMP_NUM_THREADS=1 java -jar benchmarks/target/benchmarks.jar ProductBenchmark -jvmArgsAppend -Dunroll.directBlas=true
 *   OMP_NUM_THREADS=1 java -jar benchmarks/target/benchmarks.jar ProductBenchmark -jvmArgsAppend -Dunroll.directBlas=false
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ProductBenchmark {

  /** M × K × N: a [M, K], w [N, K], c [M, N]. */
  @Param({"32x128x128", "32x128x384", "32x128x512", "32x256x1024", "64x512x2048", "1600x64x512", "3200x256x1024"})
  public String size;

  private INDArray a;
  private INDArray w;
  private INDArray c;

  /** Operands with values of the usual magnitudes. */
  @Setup(Level.Trial)
  public void setUp() {
    String[] parts = size.split("x");
    int m = Integer.parseInt(parts[0]);
    int k = Integer.parseInt(parts[1]);
    int n = Integer.parseInt(parts[2]);
    Nd4j.getRandom().setSeed(3);
    a = Nd4j.rand(DataType.FLOAT, m, k).subi(0.5);
    w = Nd4j.rand(DataType.FLOAT, n, k).subi(0.5).muli(2 / Math.sqrt(k));
    c = Nd4j.create(DataType.FLOAT, m, n);
  }

  /** {@code c += a · wᵀ}. */
  @Benchmark
  public INDArray addTimesTransposed() {
    Ops.addTimesTransposed(c, a, w);
    return c;
  }
}
