package dev.unroll.training;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.UnrolledModel;
import dev.unroll.runtime.generation.OneToManyModel;
import dev.unroll.runtime.generation.Seq2SeqModel;
import dev.unroll.runtime.internal.CrossEntropy;
import dev.unroll.runtime.internal.MeanSquaredError;
import dev.unroll.training.data.Batch;
import dev.unroll.training.data.BatchSource;
import dev.unroll.training.data.OneToManyBatch;
import dev.unroll.training.data.Seq2SeqBatch;
import dev.unroll.training.data.TrainingBatch;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the {@link Trainer} minimises, for one topology: the loss and gradients of the next training
 * batch, and the validation loss over one pass of the validation batches. The trainer's loop is the
 * same for every topology; only this class knows which arrays of a batch go to which model call.
 *
 * <ul>
 *   <li>{@link Sequence}: a many-to-one or many-to-many {@link RecurrentModel} on {@link Batch}es, by
 *       full BPTT or by truncated BPTT with the state carried from batch to batch; cross-entropy, or
 *       mean squared error for a regression model.
 *   <li>{@link OneToMany}: a {@link OneToManyModel} on {@link OneToManyBatch}es (condition vectors,
 *       teacher-forced targets); cross-entropy.
 *   <li>{@link Seq2Seq}: a {@link Seq2SeqModel} on {@link Seq2SeqBatch}es (source sequences,
 *       teacher-forced targets); cross-entropy.
 * </ul>
 *
 * <p>Validation runs on a {@link UnrolledModel#replica() replica} in evaluation mode (no dropout), so
 * that it changes nothing the training run depends on. Its loss is the mean over every counted target
 * (cross-entropy) or element (mean squared error) of the whole pass, not a mean of batch means.
 *
 * @param <B> the kind of batch the model reads
 */
abstract sealed class Objective<B extends TrainingBatch>
    permits Objective.Sequence, Objective.OneToMany, Objective.Seq2Seq {

  /** Builds an objective once the builder knows the validation data and the TBPTT setting. */
  @FunctionalInterface
  interface Factory<B extends TrainingBatch> {
    /**
     * @param validation the validation batches, or null
     * @param backSteps k2 of truncated BPTT, or 0 for full BPTT
     * @throws IllegalArgumentException if the model cannot be trained so
     */
    Objective<B> create(BatchSource<B> validation, int backSteps);
  }

  private final BatchSource<B> train;
  private final BatchSource<B> validation;

  Objective(BatchSource<B> train, BatchSource<B> validation) {
    this.train = train;
    this.validation = validation;
  }

  /** The model trained: its parameters are the ones the optimizer updates. */
  abstract UnrolledModel model();

  /** The loss and gradients of one training batch, in training mode. */
  abstract Gradients gradients(B batch);

  /** Adds one validation batch's summed loss and its number of counted targets to {@code mean}. */
  abstract void addValidationLoss(B batch, Mean mean);

  /** Called before every validation pass (to start a carried state from zero). */
  void startValidation() {}

  /** The recurrent state carried into the next training batch, for a checkpoint; null if none. */
  List<INDArray> carriedState() {
    return null;
  }

  /** Restores a carried state written by {@link #carriedState()} (null: from zero). */
  void restoreCarriedState(List<INDArray> arrays) {}

  final BatchSource<B> train() {
    return train;
  }

  final boolean validates() {
    return validation != null;
  }

  /** The loss and gradients of the next training batch. */
  final Gradients nextGradients() {
    return gradients(train.next());
  }

  /** The validation loss over one pass of the validation batches (NaN if nothing was counted). */
  final double validate() {
    if (validation == null) {
      throw new IllegalStateException("no validation data was configured");
    }
    startValidation();
    validation.seek(0);
    Mean mean = new Mean();
    for (long i = 0; i < validation.batchesPerEpoch(); i++) {
      addValidationLoss(validation.next(), mean);
    }
    return mean.value();
  }

  /** A loss summed over counted targets, and their number. */
  static final class Mean {
    private double sum;
    private long count;

    void add(double meanLoss, long counted) {
      if (counted > 0) {
        sum += meanLoss * counted;
        count += counted;
      }
    }

    double value() {
      return count == 0 ? Double.NaN : sum / count;
    }
  }

  /** Adds the mean softmax cross-entropy of {@code logits [..., classes]} against {@code y}. */
  static void addCrossEntropy(INDArray logits, INDArray y, Mean mean) {
    INDArray ids = y.dataType() == DataType.INT64 ? y : y.castTo(DataType.INT64);
    long[] targets = ids.dup('c').reshape(ids.length()).toLongVector();
    long counted = 0;
    for (long t : targets) {
      if (t != CrossEntropy.IGNORE) {
        counted++;
      }
    }
    if (counted == 0) {
      return;
    }
    long classes = logits.size(logits.rank() - 1);
    // a view when the logits are row-major already (the generated models' are): no 6.5 MB copy per
    // validation batch of the main job; a copy otherwise
    INDArray rows = logits.reshape('c', targets.length, classes);
    mean.add(CrossEntropy.loss(rows, targets), counted);
  }

  /** A many-to-one or many-to-many model: full or truncated BPTT, cross-entropy or squared error. */
  static final class Sequence extends Objective<Batch> {
    private final RecurrentModel model;
    private final int backSteps;
    private final Tbptt<?> tbptt;
    private RecurrentModel eval;
    private Tbptt<?> evalCarry;

    Sequence(RecurrentModel model, BatchSource<Batch> train, BatchSource<Batch> validation,
        int backSteps) {
      super(train, validation);
      this.model = model;
      this.backSteps = backSteps;
      this.tbptt = backSteps > 0 ? Tbptt.of(model, backSteps) : null;
    }

    @Override
    UnrolledModel model() {
      return model;
    }

    @Override
    Gradients gradients(Batch b) {
      if (tbptt == null) {
        return model.gradients(b.x(), b.y(), b.mask());
      }
      if (b.startsStreams()) {
        tbptt.reset();
      }
      return tbptt.gradients(b.x(), b.y(), b.mask());
    }

    @Override
    void startValidation() {
      if (eval == null) {
        eval = model.replica();
      }
      evalCarry = tbptt == null ? null : Tbptt.of(eval, backSteps);
    }

    @Override
    void addValidationLoss(Batch b, Mean mean) {
      INDArray logits;
      if (evalCarry != null) {
        if (b.startsStreams()) {
          evalCarry.reset();
        }
        logits = evalCarry.forward(b.x(), b.mask());
      } else {
        logits = eval.forward(b.x(), b.mask());
      }
      if (model.config().regression()) {
        // every element the mask counts weighs the same, across batches too
        long counted = MeanSquaredError.counted(logits, b.mask());
        if (counted > 0) {
          mean.add(MeanSquaredError.loss(logits, b.y(), b.mask()), counted);
        }
      } else {
        addCrossEntropy(logits, b.y(), mean);
      }
    }

    @Override
    List<INDArray> carriedState() {
      return tbptt == null ? null : tbptt.stateArrays();
    }

    @Override
    void restoreCarriedState(List<INDArray> arrays) {
      if (tbptt != null) {
        tbptt.restoreState(arrays);
      }
    }
  }

  /** A one-to-many model: condition vectors and teacher-forced targets. */
  static final class OneToMany extends Objective<OneToManyBatch> {
    private final OneToManyModel<?> model;
    private OneToManyModel<?> eval;

    OneToMany(OneToManyModel<?> model, BatchSource<OneToManyBatch> train,
        BatchSource<OneToManyBatch> validation, int backSteps) {
      super(train, validation);
      refuseTbptt(backSteps, "a one-to-many model");
      this.model = model;
    }

    @Override
    UnrolledModel model() {
      return model;
    }

    @Override
    Gradients gradients(OneToManyBatch b) {
      return model.gradients(b.condition(), b.tgtIn(), b.y());
    }

    @Override
    void addValidationLoss(OneToManyBatch b, Mean mean) {
      if (eval == null) {
        eval = model.replica();
      }
      addCrossEntropy(eval.forward(b.condition(), b.tgtIn()), b.y(), mean);
    }
  }

  /** An encoder-decoder model: source sequences and teacher-forced targets. */
  static final class Seq2Seq extends Objective<Seq2SeqBatch> {
    private final Seq2SeqModel<?> model;
    private Seq2SeqModel<?> eval;

    Seq2Seq(Seq2SeqModel<?> model, BatchSource<Seq2SeqBatch> train,
        BatchSource<Seq2SeqBatch> validation, int backSteps) {
      super(train, validation);
      refuseTbptt(backSteps, "an encoder-decoder model");
      this.model = model;
    }

    @Override
    UnrolledModel model() {
      return model;
    }

    @Override
    Gradients gradients(Seq2SeqBatch b) {
      return model.gradients(b.src(), b.srcMask(), b.tgtIn(), b.y());
    }

    @Override
    void addValidationLoss(Seq2SeqBatch b, Mean mean) {
      if (eval == null) {
        eval = model.replica();
      }
      addCrossEntropy(eval.forward(b.src(), b.srcMask(), b.tgtIn()), b.y(), mean);
    }
  }

  private static void refuseTbptt(int backSteps, String what) {
    if (backSteps > 0) {
      throw new IllegalArgumentException("truncated BPTT carries a RecurrentModel's state from batch "
          + "to batch; " + what + " trains on whole sequences: remove tbptt(" + backSteps + ")");
    }
  }
}
