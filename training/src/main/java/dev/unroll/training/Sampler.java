package dev.unroll.training;

import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.ModelConfig.Topology;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.StatefulModel;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generates token sequences from a language model: a unidirectional many-to-many
 * {@link StatefulModel} with an embedding input whose output classes are its vocabulary.
 *
 * <p>The priming tokens are run through the model in one call; then each new token is drawn from the
 * last step's logits and fed back alone ({@code forward(x [1, 1], null, state)}), with the state carried.
 * The model used is a {@link StatefulModel#replica() replica} made once per sampler, so the trained
 * model's work buffers keep their sizes; the one-token input array is allocated once and reused.
 *
 * <p>Drawing: temperature 0 is greedy (the most likely token, the lowest id among ties); otherwise
 * the logits are divided by the temperature, only the {@code topK} most likely tokens are kept (0: all),
 * and a token is drawn from their softmax with a {@link SplittableRandom} seeded by the options, so
 * equal options give equal text.
 *
 * <p>A model compiled with more output classes than its vocabulary holds (a character model with 256
 * outputs trained on a text of 65 characters) is sampled with {@link #Sampler(StatefulModel, int)}:
 * only the first {@code classes} logits are read, so no id outside the vocabulary is ever drawn, at
 * any temperature.
 *
 * <p>Not thread-safe (one sampler per thread).
 *
 * @param <S> the model's state record
 */
public final class Sampler<S extends RecurrentState> {

  /**
   * How to sample.
   *
   * @param length how many tokens to generate (at least 0)
   * @param temperature 0 for greedy, else above 0 (1 = the model's distribution)
   * @param topK keep only this many most likely tokens (0 = all)
   * @param seed the seed of the draws
   */
  public record Options(int length, double temperature, int topK, long seed) {

    /** Checks the values. */
    public Options {
      if (length < 0) {
        throw new IllegalArgumentException("length must be at least 0, but is " + length);
      }
      if (!(temperature >= 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException(
            "temperature must be finite and at least 0 (0 = greedy), but is " + temperature);
      }
      if (topK < 0) {
        throw new IllegalArgumentException("topK must be at least 0 (0 = all), but is " + topK);
      }
    }

    /** Greedy decoding of {@code length} tokens. */
    public static Options greedy(int length) {
      return new Options(length, 0, 0, 0);
    }

    /** These options with another temperature. */
    public Options withTemperature(double t) {
      return new Options(length, t, topK, seed);
    }

    /** These options with another top-k. */
    public Options withTopK(int k) {
      return new Options(length, temperature, k, seed);
    }

    /** These options with another seed. */
    public Options withSeed(long s) {
      return new Options(length, temperature, topK, s);
    }
  }

  private final StatefulModel<S> model;
  /** The classes drawn from: ids {@code [0, classes)}. */
  private final int classes;
  private final INDArray one;
  private final long[] oneIndex = {0, 0};

  /**
   * @param model a language model (see the class comment); a replica of it is used
   * @throws IllegalArgumentException if it is not one
   */
  public Sampler(StatefulModel<S> model) {
    this(Objects.requireNonNull(model, "model"), model.config().vocab());
  }

  /**
   * A sampler that reads and draws only ids {@code [0, classes)}: priming tokens must lie there, and
   * the logits of higher ids are ignored.
   *
   * @param model a language model (see the class comment); a replica of it is used
   * @param classes how many of its first ids are the vocabulary, 1 to its {@code vocab}
   * @throws IllegalArgumentException if it is not a language model or {@code classes} is out of range
   */
  public Sampler(StatefulModel<S> model, int classes) {
    Objects.requireNonNull(model, "model");
    check(model);
    int all = model.config().vocab();
    if (classes < 1 || classes > all) {
      throw new IllegalArgumentException(
          "classes must be in [1, " + all + "] (the model's vocabulary), but is " + classes);
    }
    this.model = model.replica();
    this.classes = classes;
    this.one = Nd4j.zeros(DataType.INT64, 1, 1);
  }

  /**
   * A sampler for any generated model.
   *
   * @throws IllegalArgumentException if the model is not a stateful language model (saying why)
   */
  public static Sampler<?> of(RecurrentModel model) {
    Objects.requireNonNull(model, "model");
    return of(model, model.config().vocab());
  }

  /**
   * A sampler for any generated model that draws only ids {@code [0, classes)} (see
   * {@link #Sampler(StatefulModel, int)}).
   *
   * @throws IllegalArgumentException if the model is not a stateful language model (saying why), or
   *     {@code classes} is outside {@code [1, vocab]}
   */
  public static Sampler<?> of(RecurrentModel model, int classes) {
    Objects.requireNonNull(model, "model");
    check(model);
    if (!(model instanceof StatefulModel<?> stateful)) {
      throw new IllegalArgumentException(
          model.getClass().getName() + " does not implement StatefulModel, so it cannot be fed one "
              + "token at a time with its state carried");
    }
    return create(stateful, classes);
  }

  private static <S extends RecurrentState> Sampler<S> create(StatefulModel<S> model, int classes) {
    return new Sampler<>(model, classes);
  }

  private static void check(RecurrentModel model) {
    ModelConfig c = model.config();
    String name = c.model();
    if (c.bidirectional()) {
      throw new IllegalArgumentException(
          name + " is bidirectional: its backward direction needs the whole text before the first "
              + "token, so it cannot generate text one token at a time");
    }
    if (!c.embedded()) {
      throw new IllegalArgumentException(
          name + " reads real-valued features, not token ids: sampling needs an @Embedding input");
    }
    if (c.topology() != Topology.MANY_TO_MANY) {
      throw new IllegalArgumentException(
          name + " is many-to-one: sampling needs one output per step (@ManyToMany)");
    }
    if (c.output() != c.vocab()) {
      throw new IllegalArgumentException(
          name + " has " + c.output() + " output classes but a vocabulary of " + c.vocab()
              + ": a language model predicts the next token, so the two must be equal");
    }
  }

  /** As {@link #sample(int[], Options, IntConsumer)} without a callback. */
  public int[] sample(int[] prime, Options options) {
    return sample(prime, options, null);
  }

  /**
   * Generates {@code options.length()} tokens following {@code prime}.
   *
   * @param prime the priming token ids, at least one, each in {@code [0, classes)}
   * @param onToken called with each new token as it is drawn (for streaming output), or null
   * @return the new tokens (not including the priming ones)
   */
  public int[] sample(int[] prime, Options options, IntConsumer onToken) {
    Objects.requireNonNull(prime, "prime");
    Objects.requireNonNull(options, "options");
    if (prime.length == 0) {
      throw new IllegalArgumentException("sampling needs at least one priming token");
    }
    long[] ids = new long[prime.length];
    for (int i = 0; i < prime.length; i++) {
      if (prime[i] < 0 || prime[i] >= classes) {
        throw new IllegalArgumentException(
            "priming token " + prime[i] + " at position " + i + " is outside the vocabulary [0, "
                + classes + ")");
      }
      ids[i] = prime[i];
    }
    int[] out = new int[options.length()];
    if (out.length == 0) {
      return out;
    }
    SplittableRandom random = new SplittableRandom(options.seed());
    double[] scratch = new double[classes];
    StatefulModel.Step<S> step =
        model.forward(
            Nd4j.create(ids, new long[] {1, ids.length}, DataType.INT64), null,
            model.initialState(1));
    for (int n = 0; n < out.length; n++) {
      double[] logits = lastLogits(step.logits());
      int token = choose(logits, options, random, scratch);
      out[n] = token;
      if (onToken != null) {
        onToken.accept(token);
      }
      if (n + 1 < out.length) {
        one.putScalar(oneIndex, token);
        step = model.forward(one, null, step.state());
      }
    }
    return out;
  }

  /** The first {@code classes} logits of the last step of {@code [1, T, vocab]}. */
  private double[] lastLogits(INDArray logits) {
    long t = logits.size(1);
    INDArray last = logits.rank() == 3 ? logits.slice(0).getRow(t - 1) : logits;
    double[] all = last.castTo(DataType.DOUBLE).toDoubleVector();
    return all.length == classes ? all : Arrays.copyOf(all, classes);
  }

  /** Picks a token from logits (package-private for tests of the drawing rule alone). */
  static int choose(double[] logits, Options o, SplittableRandom random, double[] scratch) {
    int v = logits.length;
    if (o.temperature() == 0 || o.topK() == 1) {
      return argmax(logits);
    }
    boolean[] keep = new boolean[v];
    if (o.topK() > 0 && o.topK() < v) {
      Integer[] order = new Integer[v];
      for (int i = 0; i < v; i++) {
        order[i] = i;
      }
      // by descending logit, ties by ascending id
      Arrays.sort(order, (a, b) -> {
        int c = Double.compare(logits[b], logits[a]);
        return c != 0 ? c : Integer.compare(a, b);
      });
      for (int i = 0; i < o.topK(); i++) {
        keep[order[i]] = true;
      }
    } else {
      Arrays.fill(keep, true);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < v; i++) {
      if (keep[i]) {
        max = Math.max(max, logits[i] / o.temperature());
      }
    }
    double total = 0;
    for (int i = 0; i < v; i++) {
      scratch[i] = keep[i] ? Math.exp(logits[i] / o.temperature() - max) : 0;
      total += scratch[i];
    }
    double u = random.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < v; i++) {
      if (scratch[i] > 0) {
        last = i;
        u -= scratch[i];
        if (u < 0) {
          return i;
        }
      }
    }
    return last; // rounding left u at or just above 0
  }

  private static int argmax(double[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
