package dev.unroll.testing;

import dev.unroll.runtime.ModelConfig.Topology;
import dev.unroll.runtime.UnrolledModel;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a generated model costs at your sizes, without JMH: the median milliseconds of a forward pass
 * ({@code forward(...)}, evaluation mode) and of a forward+backward pass ({@code gradients(...)}) on a
 * random batch ({@link Batch#random}, every step valid), with the achieved GFLOP/s.
 *
 * <pre>{@code
 * Bench.Result r = Bench.run(new UnrolledTagger(42), 32, 100);
 * System.out.println(r);   // UnrolledTagger FLOAT B32 T100: forward 3.1 ms (12.0 GFLOP/s), ...
 * }</pre>
 *
 * <p>FLOPs are 2 × the multiply-adds of the matrix products ({@link #forwardMultiplyAdds}); a
 * forward+backward pass counts 3 × the forward's (the backward does two products, for the input
 * and for the weights, per forward product). Elementwise work (gates, softmax) is not counted.
 */
public final class Bench {
  private Bench() {}

  /** Warm-up passes of each kind before timing, by default. */
  public static final int DEFAULT_WARMUP = 3;
  /** Timed passes of each kind, by default. */
  public static final int DEFAULT_ITERATIONS = 10;

  private static final Pattern RECURRENT_WEIGHT =
      Pattern.compile("(rnn|encoder|decoder)\\.weight_(ih|hh)_l\\d+(_reverse)?");

  /**
   * A benchmark's figures.
   *
   * @param model               the model's class name
   * @param dataType            its data type
   * @param batch               rows per pass
   * @param steps               steps per row (source and target steps of a seq2seq model)
   * @param forwardMillis       the median forward pass
   * @param trainMillis         the median forward+backward pass
   * @param forwardMultiplyAdds the multiply-adds of one forward pass
   * @param iterations          timed passes of each kind
   */
  public record Result(String model, DataType dataType, int batch, int steps, double forwardMillis,
      double trainMillis, long forwardMultiplyAdds, int iterations) {

    /** Achieved GFLOP/s of the forward pass: 2 × multiply-adds / time. */
    public double forwardGflops() {
      return 2.0 * forwardMultiplyAdds / (forwardMillis * 1e6);
    }

    /** Achieved GFLOP/s of the forward+backward pass: 2 × 3 × forward multiply-adds / time. */
    public double trainGflops() {
      return 6.0 * forwardMultiplyAdds / (trainMillis * 1e6);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%s %s B%d T%d: forward %.3f ms (%.3g GFLOP/s), forward+backward %.3f ms (%.3g GFLOP/s), median of %d",
          model, dataType, batch, steps, forwardMillis, forwardGflops(), trainMillis, trainGflops(), iterations);
    }
  }

  /** {@link #run(UnrolledModel, int, int, int, int)} with {@value #DEFAULT_WARMUP} warm-up and {@value #DEFAULT_ITERATIONS} timed passes. */
  public static Result run(UnrolledModel model, int batch, int steps) {
    return run(model, batch, steps, DEFAULT_WARMUP, DEFAULT_ITERATIONS);
  }

  /**
   * Times {@code warmup} untimed and then {@code iterations} timed passes of each kind on one random
   * batch of {@code batch} rows and {@code steps} steps, and returns the medians. The model's
   * parameters are not changed (gradients are computed, not applied).
   *
   * @throws IllegalArgumentException if a size is under 1 (warm-up under 0), or the model is not one
   *     unroll generates
   */
  public static Result run(UnrolledModel model, int batch, int steps, int warmup, int iterations) {
    Objects.requireNonNull(model, "model");
    if (warmup < 0 || iterations < 1) {
      throw new IllegalArgumentException(
          "warm-up must be >= 0 and iterations >= 1; got warmup = " + warmup + ", iterations = " + iterations);
    }
    long macs = forwardMultiplyAdds(model, batch, steps);
    Batch b = Batch.random(model, batch, steps, false, 1);
    for (int i = 0; i < warmup; i++) {
      b.forward(model);
      b.gradients(model);
    }
    double[] forward = new double[iterations];
    double[] train = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      b.forward(model);
      long t1 = System.nanoTime();
      b.gradients(model);
      long t2 = System.nanoTime();
      forward[i] = (t1 - t0) / 1e6;
      train[i] = (t2 - t1) / 1e6;
    }
    return new Result(model.getClass().getSimpleName(), model.dataType(), batch, steps, median(forward),
        median(train), macs, iterations);
  }

  /**
   * The multiply-adds of the matrix products of one forward pass over {@code batch} rows and
   * {@code steps} steps, counted from the parameter shapes: each recurrent weight
   * ({@code weight_ih} {@code [G·H, I]}, {@code weight_hh} {@code [G·H, H]}, of every layer and
   * direction) once per row and step, which is G·(I + H)·H per row-step per layer and direction (G =
   * 4 for an LSTM, 3 for a GRU, 1 for an Elman RNN; I the layer's input width); {@code fc.weight} once
   * per row and step (once per row for many-to-one); {@code init.weight} once per row;
   * {@code bridge.weight} and {@code bridge_c.weight} once per row and decoder layer. Embedding
   * lookups and biases cost no products.
   *
   * @throws IllegalArgumentException if a size is under 1, or for a parameter it does not know
   */
  public static long forwardMultiplyAdds(UnrolledModel model, int batch, int steps) {
    if (batch < 1 || steps < 1) {
      throw new IllegalArgumentException("batch and steps must be at least 1; got batch = " + batch
          + ", steps = " + steps);
    }
    Models.requireKnownKind(model);
    long rowSteps = (long) batch * steps;
    long macs = 0;
    for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
      String name = e.getKey();
      long size = Arrays.stream(e.getValue().shape()).reduce(1, (a, b) -> a * b);
      if (RECURRENT_WEIGHT.matcher(name).matches()) {
        macs += size * rowSteps;
      } else if (name.equals("fc.weight")) {
        macs += size * (model.config().topology() == Topology.MANY_TO_ONE ? batch : rowSteps);
      } else if (name.equals("init.weight")) {
        macs += size * batch;
      } else if (name.equals("bridge.weight") || name.equals("bridge_c.weight")) {
        macs += size * batch * model.config().layers();
      } else if (!name.endsWith("embedding.weight") && !name.contains("bias")) {
        throw new IllegalArgumentException("Bench does not know how often " + model.getClass().getSimpleName()
            + "'s parameter " + name + " is used per pass, so it cannot count its multiply-adds");
      }
    }
    return macs;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
