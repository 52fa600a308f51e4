package dev.unroll.testing;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.ModelConfig.Topology;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.UnrolledModel;
import dev.unroll.runtime.generation.OneToManyModel;
import dev.unroll.runtime.generation.Seq2SeqModel;
import dev.unroll.runtime.internal.CrossEntropy;
import dev.unroll.runtime.internal.MeanSquaredError;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One batch of inputs and targets for a generated model, in the argument order of its
 * {@code gradients(...)}: {@link Sequences} for a {@link RecurrentModel} (classifier, tagger),
 * {@link Conditioned} for a {@link OneToManyModel}, {@link Translation} for a {@link Seq2SeqModel}.
 * Build one from your own data, or draw one with {@link #random}.
 */
public sealed interface Batch {

  /**
   * Inputs of a {@link RecurrentModel}: {@code x} float {@code [B, T, features]} or int64 token ids
   * {@code [B, T]}; {@code y} int64 {@code [B]} or {@code [B, T]} (-100 = ignored), or for an
   * {@code @Output(loss = Loss.MSE)} model float {@code [B, n]} or {@code [B, T, n]}; {@code mask}
   * {@code [B, T]} or null.
   */
  record Sequences(INDArray x, INDArray y, INDArray mask) implements Batch {
    public Sequences {
      Objects.requireNonNull(x, "x");
      Objects.requireNonNull(y, "y");
    }

    @Override
    public long rows() {
      return x.size(0);
    }

    @Override
    public Gradients gradients(UnrolledModel model) {
      RecurrentModel m = expect(model, RecurrentModel.class);
      return mask == null ? m.gradients(x, y) : m.gradients(x, y, mask);
    }

    @Override
    public INDArray forward(UnrolledModel model) {
      RecurrentModel m = expect(model, RecurrentModel.class);
      return mask == null ? m.forward(x) : m.forward(x, mask);
    }

    @Override
    public Batch withInputType(DataType dataType) {
      return new Sequences(cast(x, dataType), cast(y, dataType), mask);
    }
  }

  /**
   * Inputs of a {@link OneToManyModel}: {@code condition} float {@code [B, conditionSize]},
   * {@code tgtIn} and {@code y} int64 {@code [B, T]}.
   */
  record Conditioned(INDArray condition, INDArray tgtIn, INDArray y) implements Batch {
    public Conditioned {
      Objects.requireNonNull(condition, "condition");
      Objects.requireNonNull(tgtIn, "tgtIn");
      Objects.requireNonNull(y, "y");
    }

    @Override
    public long rows() {
      return condition.size(0);
    }

    @Override
    public Gradients gradients(UnrolledModel model) {
      return expect(model, OneToManyModel.class).gradients(condition, tgtIn, y);
    }

    @Override
    public INDArray forward(UnrolledModel model) {
      return expect(model, OneToManyModel.class).forward(condition, tgtIn);
    }

    @Override
    public Batch withInputType(DataType dataType) {
      return new Conditioned(cast(condition, dataType), tgtIn, y);
    }
  }

  /**
   * Inputs of a {@link Seq2SeqModel}: {@code src} int64 {@code [B, S]}, {@code srcMask} {@code [B, S]}
   * or null, {@code tgtIn} and {@code y} int64 {@code [B, T]}.
   */
  record Translation(INDArray src, INDArray srcMask, INDArray tgtIn, INDArray y) implements Batch {
    public Translation {
      Objects.requireNonNull(src, "src");
      Objects.requireNonNull(tgtIn, "tgtIn");
      Objects.requireNonNull(y, "y");
    }

    @Override
    public long rows() {
      return src.size(0);
    }

    @Override
    public Gradients gradients(UnrolledModel model) {
      return expect(model, Seq2SeqModel.class).gradients(src, srcMask, tgtIn, y);
    }

    @Override
    public INDArray forward(UnrolledModel model) {
      return expect(model, Seq2SeqModel.class).forward(src, srcMask, tgtIn);
    }

    @Override
    public Batch withInputType(DataType dataType) {
      return this;
    }
  }

  /** Rows in the batch (B). */
  long rows();

  /**
   * The model's loss and gradients on this batch (training mode).
   *
   * @throws IllegalArgumentException if the model is not of this batch's kind
   */
  Gradients gradients(UnrolledModel model);

  /**
   * The model's logits on this batch (evaluation mode).
   *
   * @throws IllegalArgumentException if the model is not of this batch's kind
   */
  INDArray forward(UnrolledModel model);

  /** The targets ({@code y}): int64 class ids, -100 at ignored steps; floats for an MSE model. */
  INDArray y();

  /**
   * The mean softmax cross-entropy of the model's {@link #forward} logits against {@link #y()} (targets
   * of -100 not counted), or for an {@code @Output(loss = Loss.MSE)} model the mean squared error over
   * the steps the mask counts: the loss of {@link #gradients} without its backward pass, and without
   * dropout (evaluation mode).
   */
  default double loss(UnrolledModel model) {
    INDArray logits = forward(model);
    if (model.config().regression() && this instanceof Sequences s) {
      return MeanSquaredError.loss(logits, s.y(), s.mask());
    }
    long classes = logits.size(logits.rank() - 1);
    long[] targets = y().castTo(DataType.INT64).dup('c').reshape(y().length()).toLongVector();
    return CrossEntropy.loss(logits.dup('c').reshape(logits.length() / classes, classes), targets);
  }

  /**
   * This batch with its real-valued inputs ({@code x} of a model without embedding, {@code condition})
   * converted to {@code dataType}; token ids, targets and masks unchanged.
   */
  Batch withInputType(DataType dataType);

  /**
   * A random batch for {@code model} of {@code rows} sequences of {@code steps} steps (for a
   * {@link Seq2SeqModel}, {@code steps} source and {@code steps} target steps): real inputs uniform in
   * [-1, 1] in the model's data type (so are the float targets of an MSE model), token ids and class
   * targets uniform over their ranges, and a
   * START token first in every {@code tgtIn}.
   *
   * <p>{@code ragged}: row 0 keeps every step and each other row a random length in [1, steps] — a
   * {@code [B, T]} mask (the source mask of a seq2seq model), and -100 targets after each row's length
   * (many-to-many and generation models); without it, no mask and every target counts.
   *
   * @throws IllegalArgumentException if {@code rows} or {@code steps} is under 1, or the model is of
   *     none of the three kinds
   */
  static Batch random(UnrolledModel model, int rows, int steps, boolean ragged, long seed) {
    Models.requireKnownKind(Objects.requireNonNull(model, "model"));
    if (rows < 1 || steps < 1) {
      throw new IllegalArgumentException(
          "a batch needs at least 1 row and 1 step; got rows = " + rows + ", steps = " + steps);
    }
    Random rnd = new Random(seed);
    int[] lengths = new int[rows];
    Arrays.fill(lengths, steps);
    if (ragged) {
      for (int b = 1; b < rows; b++) {
        lengths[b] = 1 + rnd.nextInt(steps);
      }
    }
    ModelConfig c = model.config();
    DataType type = model.dataType();
    if (model instanceof RecurrentModel) {
      INDArray x = c.embedded() ? tokens(rnd, rows, steps, c.vocab()) : uniform(rnd, type, rows, steps, c.features());
      INDArray y;
      if (c.regression()) {
        // float targets; at a padded step a value the mask must leave out
        y = c.topology() == Topology.MANY_TO_ONE ? uniform(rnd, type, rows, c.output())
            : uniform(rnd, type, rows, steps, c.output());
      } else if (c.topology() == Topology.MANY_TO_ONE) {
        long[] ids = new long[rows];
        for (int b = 0; b < rows; b++) {
          ids[b] = rnd.nextInt(c.output());
        }
        y = Nd4j.createFromArray(ids);
      } else {
        y = targets(rnd, lengths, steps, c.output());
      }
      return new Sequences(x, y, ragged ? mask(type, lengths, steps) : null);
    }
    if (model instanceof OneToManyModel<?> m) {
      int[] full = new int[rows];
      Arrays.fill(full, steps);
      return new Conditioned(uniform(rnd, type, rows, m.conditionSize()),
          decoderInputs(rnd, rows, steps, m.vocabulary(), m.startToken()),
          targets(rnd, ragged ? lengths : full, steps, m.vocabulary()));
    }
    Seq2SeqModel<?> m = (Seq2SeqModel<?>) model;
    INDArray src = tokens(rnd, rows, steps, m.sourceVocabulary());
    int[] full = new int[rows];
    Arrays.fill(full, steps);
    return new Translation(src, ragged ? mask(type, lengths, steps) : null,
        decoderInputs(rnd, rows, steps, m.vocabulary(), m.startToken()),
        targets(rnd, full, steps, m.vocabulary()));
  }

  /** {@code model} as a {@code kind}, or an error naming the batch kind the model needs. */
  private static <M> M expect(UnrolledModel model, Class<M> kind) {
    if (!kind.isInstance(model)) {
      throw new IllegalArgumentException("this batch is for a " + kind.getSimpleName() + ", but "
          + model.getClass().getSimpleName() + " is not one: use Batch." + kindOf(model)
          + " (or Batch.random) for it");
    }
    return kind.cast(model);
  }

  private static String kindOf(UnrolledModel model) {
    if (model instanceof RecurrentModel) {
      return "Sequences";
    }
    if (model instanceof OneToManyModel<?>) {
      return "Conditioned";
    }
    Models.requireKnownKind(model);
    return "Translation";
  }

  private static INDArray cast(INDArray a, DataType dataType) {
    return a.dataType().isFPType() && a.dataType() != dataType ? a.castTo(dataType) : a;
  }

  private static INDArray uniform(Random rnd, DataType type, int... shape) {
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 2 * rnd.nextDouble() - 1;
    }
    return Nd4j.createFromArray(v).reshape(Arrays.stream(shape).asLongStream().toArray()).castTo(type);
  }

  private static INDArray tokens(Random rnd, int rows, int steps, int vocab) {
    long[][] ids = new long[rows][steps];
    for (long[] row : ids) {
      for (int t = 0; t < steps; t++) {
        row[t] = rnd.nextInt(vocab);
      }
    }
    return Nd4j.createFromArray(ids);
  }

  private static INDArray decoderInputs(Random rnd, int rows, int steps, int vocab, int start) {
    INDArray ids = tokens(rnd, rows, steps, vocab);
    for (int b = 0; b < rows; b++) {
      ids.putScalar(new long[] {b, 0}, start);
    }
    return ids;
  }

  /** Class ids {@code [B, T]}, -100 from each row's length on. */
  private static INDArray targets(Random rnd, int[] lengths, int steps, int classes) {
    long[][] ids = new long[lengths.length][steps];
    for (int b = 0; b < lengths.length; b++) {
      for (int t = 0; t < steps; t++) {
        ids[b][t] = t < lengths[b] ? rnd.nextInt(classes) : -100;
      }
    }
    return Nd4j.createFromArray(ids);
  }

  private static INDArray mask(DataType type, int[] lengths, int steps) {
    double[][] m = new double[lengths.length][steps];
    for (int b = 0; b < lengths.length; b++) {
      for (int t = 0; t < lengths[b]; t++) {
        m[b][t] = 1;
      }
    }
    return Nd4j.createFromArray(m).castTo(type);
  }
}
