package dev.unroll.benchmarks;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.training.optim.Adagrad;
import dev.unroll.training.optim.Adam;
import dev.unroll.training.optim.AdamW;
import dev.unroll.training.optim.Optimizer;
import dev.unroll.training.optim.RmsProp;
import dev.unroll.training.optim.Sgd;
import java.util.Map;
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
 * One optimizer step over every parameter of a shape's model, the gradients computed once: what a
 * training step adds to forward+backward. Microseconds per step.
 *
 * <pre>
 *   OMP_NUM_THREADS=1 java -jar benchmarks/target/benchmarks.jar OptimizerBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class OptimizerBenchmark {

  /** The model whose parameters are updated (a: 0.1 M parameters, d: 1.6 M). */
  @Param({"A", "D"})
  public Shape shape;

  /** The optimizer, at its defaults ({@code sgd}: plain SGD; {@code sgd-momentum}: momentum 0.9, Nesterov). */
  @Param({"sgd", "sgd-momentum", "adam", "adamw", "rmsprop", "adagrad"})
  public String optimizer;

  private Optimizer opt;
  private Map<String, INDArray> params;
  private Map<String, INDArray> grads;

  /** The model, one set of gradients, and the optimizer. */
  @Setup(Level.Trial)
  public void setUp() {
    Workload w = shape.workload();
    RecurrentModel model = w.newModel();
    Gradients g = model.gradients(w.input(), w.targets());
    params = model.parameters();
    grads = g.asMap();
    opt = switch (optimizer) {
      case "sgd" -> new Sgd(1e-3);
      case "sgd-momentum" -> Sgd.builder().lr(1e-3).momentum(0.9).nesterov(true).build();
      case "adam" -> new Adam();
      case "adamw" -> new AdamW(1e-3);
      case "rmsprop" -> RmsProp.builder().build();
      case "adagrad" -> Adagrad.builder().build();
      default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
    };
  }

  /** One step over every parameter. */
  @Benchmark
  public Map<String, INDArray> step() {
    opt.step(params, grads);
    return params;
  }
}
