package dev.unroll.benchmarks;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * Whole-sequence cost of a generated model per shape: forward (logits), forward plus backward
 * ({@code gradients}: loss and every parameter's gradient), and a training step (gradients plus a
 * plain SGD update of every parameter). Average time per call, milliseconds.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar ModelBenchmark -p shape=A,D
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class ModelBenchmark {

  /** The shape; see {@link Shape}. */
  @Param({"A", "B", "C", "D", "A_GRU", "A_RNN", "A_F64", "A_FACTOR4", "A_STEPS50"})
  public Shape shape;

  private RecurrentModel model;
  private INDArray x;
  private INDArray y;

  /** Builds the model and its inputs once per trial. */
  @Setup(Level.Trial)
  public void setUp() {
    Workload w = shape.workload();
    model = w.newModel();
    x = w.input();
    y = w.targets();
  }

  /** Logits of the whole batch. */
  @Benchmark
  public INDArray forward() {
    return model.forward(x);
  }

  /** Loss and gradients by backpropagation through time. */
  @Benchmark
  public Gradients forwardBackward() {
    return model.gradients(x, y);
  }

  /** Gradients, then {@code param -= lr · grad} on every parameter. */
  @Benchmark
  public double trainStep() {
    return SgdStep.run(model, x, y, SgdStep.LEARNING_RATE);
  }
}
