package dev.unroll.benchmarks;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;
import dev.unroll.runtime.internal.PassGuard;
import dev.unroll.runtime.RecurrentModel;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the one-pass-at-a-time guard costs: its enter and exit alone (one compare-and-set, one release
 * store), against the smallest pass there is, a forward pass of a tanh RNN with 4 units over one step
 * of one row (every generated pass holds the guard once). Average time per call, nanoseconds.
 *
 * <pre>
 *   OMP_NUM_THREADS=1 java -jar benchmarks/target/benchmarks.jar PassGuardBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PassGuardBenchmark {

  /** The smallest model: tanh RNN, 4 units, 3 features, 2 classes. */
  @Rnn(hidden = 4) @Features(3) @ManyToOne @Output(2)
  public interface Tiny {}

  private final PassGuard guard = PassGuard.forModel("Tiny");
  private RecurrentModel model;
  private INDArray x;

  /** Builds the model and one step of one row. */
  @Setup
  public void setUp() {
    model = new UnrolledPassGuardBenchmark_Tiny(1);
    x = Nd4j.rand(DataType.FLOAT, 1, 1, 3);
  }

  /** The guard alone: what every pass adds. */
  @Benchmark
  public void enterExit() {
    guard.enter();
    guard.exit();
  }

  /** The smallest pass, guard included. */
  @Benchmark
  public INDArray tinyForward() {
    return model.forward(x);
  }
}
