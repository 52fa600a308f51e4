package dev.unroll.benchmarks;

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
 * Single-step latency of streaming inference: one step {@code x [B, 1, I]} through
 * {@code StatefulModel.forward(x, null, state)}, the state carried from call to call. Average time
 * per step, microseconds. {@code a-steps50} is left out: it accepts exactly 50 steps.
 *
 * <pre>
 *   java -jar benchmarks/target/benchmarks.jar StepLatencyBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class StepLatencyBenchmark {

  /** The shape (its batch size and model; T is 1). */
  @Param({"A", "B", "C", "D", "A_GRU", "A_RNN", "A_F64", "A_FACTOR4"})
  public Shape shape;

  private Streamer<?> streamer;
  private INDArray step;

  /** Builds the model, its zero state and one step of input. */
  @Setup(Level.Trial)
  public void setUp() {
    Workload w = shape.workload();
    streamer = Streamer.of(w.newModel(), w.batch());
    step = w.withSteps(1).input();
  }

  /** One step from the carried state. */
  @Benchmark
  public INDArray step() {
    return streamer.step(step);
  }
}
