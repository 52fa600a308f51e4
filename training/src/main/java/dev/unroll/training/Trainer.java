package dev.unroll.training;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.UnrolledModel;
import dev.unroll.runtime.generation.OneToManyModel;
import dev.unroll.runtime.generation.Seq2SeqModel;
import dev.unroll.training.data.Batch;
import dev.unroll.training.data.BatchSource;
import dev.unroll.training.data.OneToManyBatch;
import dev.unroll.training.data.Seq2SeqBatch;
import dev.unroll.training.data.TrainingBatch;
import dev.unroll.training.optim.Optimizer;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training loop for generated models of every topology, with the same settings for all: batches from
 * a {@link BatchSource}, gradient clipping, an {@link Optimizer} and a {@link LearningRateSchedule}.
 * What a batch holds and which model call takes it depends on the model:
 *
 * <ul>
 *   <li>a many-to-one or many-to-many {@link RecurrentModel} reads {@link Batch}es, by full
 *       backpropagation through time or by truncated BPTT with the state carried from batch to batch
 *       ({@link TrainerSettings#tbptt}, for {@link dev.unroll.runtime.StatefulModel}s fed by
 *       {@link dev.unroll.training.data.SequenceBatches});
 *   <li>a one-to-many {@link OneToManyModel} reads {@link OneToManyBatch}es (condition vectors and
 *       teacher-forced targets);
 *   <li>an encoder-decoder {@link Seq2SeqModel} reads {@link Seq2SeqBatch}es (source sequences and
 *       teacher-forced targets).
 * </ul>
 *
 * <p>It stops after a number of epochs or iterations, after a wall-clock budget, when the validation
 * loss has not improved for {@code patience} validations (early stopping), or on {@link #requestStop()}
 * — whichever comes first. It validates every N iterations; its outputs are {@link TrainingListener}s
 * beside the caller's: a progress bar with the loss, the speed, a total and an ETA (optional), metrics in
 * a CSV file, the loss curves in a PNG, and checkpoints periodically, at every new best validation loss
 * and at the end. {@link #resume} continues from a checkpoint exactly as the uninterrupted run would
 * have, to the bit, dropout included: every iteration reseeds the model's dropout masks from its own
 * number ({@link UnrolledModel#seedDropout}), so a resumed run draws the masks the uninterrupted one
 * drew.
 *
 * <p>The CSV file has the columns {@code iteration,epoch,train_loss,val_loss,lr,seconds}, one row per
 * iteration ({@code val_loss} empty where there was no validation), and a last row with an empty
 * {@code train_loss} for the validation at the end of a run that did not end on a scheduled one. A
 * resumed run keeps the rows up to its checkpoint's iteration and appends.
 *
 * <p>A NaN or infinite loss or gradient stops training with a {@link NonFiniteException} naming the
 * iteration, before the optimizer applies it; a checkpoint is never written from parameters that are not
 * finite, so the last good one stays on disk.
 */
public final class Trainer {

  /** Why training stopped. */
  public enum StopReason {
    /** The configured number of epochs was reached. */
    EPOCHS,
    /** The configured number of iterations was reached. */
    ITERATIONS,
    /** The wall-clock budget was spent. */
    TIME_BUDGET,
    /** The validation loss did not improve for {@code patience} validations. */
    EARLY_STOP,
    /** {@link #requestStop()} was called. */
    REQUESTED
  }

  /**
   * Where training stands, as listeners see it.
   *
   * @param iteration optimizer steps done so far (the last one's number)
   * @param epoch the epoch of the last batch (from 0)
   * @param trainLoss the last batch's loss
   * @param validationLoss the last validation loss, or NaN before the first validation
   * @param learningRate the learning rate of the last step
   * @param seconds training time so far, across resumes
   */
  public record Progress(
      long iteration, long epoch, double trainLoss, double validationLoss, double learningRate,
      double seconds) {}

  /**
   * The outcome of {@link #fit()}.
   *
   * @param iterations optimizer steps done in total
   * @param reason why training stopped
   * @param lastTrainLoss the last batch's loss (NaN if no step was taken)
   * @param lastValidationLoss the last validation loss, or NaN
   * @param bestValidationLoss the lowest validation loss, or NaN
   * @param bestIteration the iteration of the lowest validation loss, or 0
   * @param seconds training time in total, across resumes
   */
  public record Result(
      long iterations, StopReason reason, double lastTrainLoss, double lastValidationLoss,
      double bestValidationLoss, long bestIteration, double seconds) {}

  private static final String META = "trainer.";

  private final Objective<?> objective;
  private final UnrolledModel model;
  private final Optimizer optimizer;
  private final BatchSource<?> train;
  private final boolean validates;
  private final long validateEvery;
  private final long maxEpochs;
  private final long maxIterations;
  private final long budgetNanos;
  private final double clipNorm;
  private final double clipValue;
  private final LearningRateSchedule schedule;
  private final int patience;
  private final Path checkpoint;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final List<Closeable> outputs = new ArrayList<>();
  private final Map<String, String> metadata;

  private long iteration;
  private double baseLr;
  private double bestValidation = Double.NaN;
  private long bestIteration;
  private int badValidations;
  private double secondsBefore;
  private double lastTrainLoss = Double.NaN;
  private double lastValidation = Double.NaN;
  private long lastValidationIteration = -1;
  private long lastCheckpointIteration = -1;
  private long lastEpoch;
  private long startNanos;
  private volatile boolean stopRequested;

  private Trainer(TrainerSettings<?, ?> b, Objective<?> objective) {
    this.objective = objective;
    this.model = objective.model();
    this.optimizer = b.optimizer;
    this.train = objective.train();
    this.validates = objective.validates();
    this.validateEvery = b.validateEvery;
    this.maxEpochs = b.maxEpochs;
    this.maxIterations = b.maxIterations;
    this.budgetNanos = b.budgetNanos;
    this.clipNorm = b.clipNorm;
    this.clipValue = b.clipValue;
    this.schedule = b.schedule;
    this.patience = b.patience;
    this.checkpoint = b.checkpoint;
    this.metadata = Map.copyOf(b.metadata);
    this.baseLr = optimizer.learningRate();
    // the trainer's own outputs, in the order TrainingListener states
    MetricsCsv metrics = b.metricsCsv != null || b.lossPlot != null ? new MetricsCsv(b.metricsCsv, this) : null;
    if (metrics != null) {
      listeners.add(metrics);
      outputs.add(metrics);
    }
    if (b.checkpoint != null || b.bestCheckpoint != null) {
      listeners.add(new CheckpointSchedule(this, b.checkpoint, b.checkpointEvery, b.bestCheckpoint));
    }
    if (b.lossPlot != null) {
      listeners.add(new LossPlotWriter(b.lossPlot, metrics));
    }
    if (b.progressBar) {
      ConsoleProgress bar = new ConsoleProgress(
          ConsoleProgress.limit(maxIterations, maxEpochs, train.batchesPerEpoch()), budgetNanos);
      listeners.add(bar);
      outputs.add(bar);
    }
    listeners.addAll(b.listeners);
  }

  /**
   * A builder for training a many-to-one or many-to-many {@code model} with {@code optimizer} on the
   * batches of {@code train}. At least one of {@link TrainerSettings#epochs}, {@link
   * TrainerSettings#iterations} and {@link TrainerSettings#timeBudgetMinutes} must be set.
   */
  public static Builder<Batch> builder(
      RecurrentModel model, Optimizer optimizer, BatchSource<Batch> train) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    return new Builder<>(optimizer,
        (validation, backSteps) -> new Objective.Sequence(model, train, validation, backSteps));
  }

  /**
   * A builder for training a one-to-many {@code model} (condition vector, then teacher-forced tokens)
   * with {@code optimizer} on the batches of {@code train}; as {@link #builder(RecurrentModel,
   * Optimizer, BatchSource)} otherwise, without {@link TrainerSettings#tbptt}.
   */
  public static Builder<OneToManyBatch> builder(
      OneToManyModel<?> model, Optimizer optimizer, BatchSource<OneToManyBatch> train) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    return new Builder<>(optimizer,
        (validation, backSteps) -> new Objective.OneToMany(model, train, validation, backSteps));
  }

  /**
   * A builder for training an encoder-decoder {@code model} (source sequence, then teacher-forced
   * target) with {@code optimizer} on the batches of {@code train}; as {@link
   * #builder(RecurrentModel, Optimizer, BatchSource)} otherwise, without {@link TrainerSettings#tbptt}.
   */
  public static Builder<Seq2SeqBatch> builder(
      Seq2SeqModel<?> model, Optimizer optimizer, BatchSource<Seq2SeqBatch> train) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    return new Builder<>(optimizer,
        (validation, backSteps) -> new Objective.Seq2Seq(model, train, validation, backSteps));
  }

  /** Optimizer steps done so far. */
  public long iteration() {
    return iteration;
  }

  /** The optimizer's learning rate when training started (the base of the schedule). */
  public double baseLearningRate() {
    return baseLr;
  }

  /** Asks the loop to stop after the current iteration (from a listener or another thread). */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Restores a checkpoint written by this trainer (or one configured alike): the model's parameters,
   * the optimizer's state, the data position, the iteration count, the early-stopping state and a
   * carried TBPTT state. {@link #fit()} then continues as the interrupted run would have.
   *
   * @return the checkpoint's contents (for the caller's own metadata)
   * @throws IOException if the checkpoint cannot be read or is corrupt
   * @throws IllegalArgumentException if it does not fit the model or the optimizer
   */
  public Checkpoint.Contents resume(Path file) throws IOException {
    Checkpoint.Contents c = Checkpoint.load(file, model, optimizer);
    Map<String, String> m = c.metadata();
    train.seek(c.dataPosition());
    iteration = Long.parseLong(m.getOrDefault(META + "iteration", "0"));
    baseLr = Double.parseDouble(m.getOrDefault(META + "baseLr", Double.toString(baseLr)));
    bestValidation = Double.parseDouble(m.getOrDefault(META + "bestValidationLoss", "NaN"));
    bestIteration = Long.parseLong(m.getOrDefault(META + "bestIteration", "0"));
    badValidations = Integer.parseInt(m.getOrDefault(META + "badValidations", "0"));
    lastValidation = Double.parseDouble(m.getOrDefault(META + "lastValidationLoss", "NaN"));
    lastTrainLoss = Double.parseDouble(m.getOrDefault(META + "lastTrainLoss", "NaN"));
    secondsBefore = Double.parseDouble(m.getOrDefault(META + "seconds", "0"));
    lastValidationIteration = Long.parseLong(m.getOrDefault(META + "lastValidationIteration", "-1"));
    lastCheckpointIteration = iteration;
    lastEpoch = c.dataPosition() > 0 ? (c.dataPosition() - 1) / train.batchesPerEpoch() : 0;
    List<INDArray> state = new ArrayList<>();
    for (int i = 0; c.extraArrays().containsKey(META + "state." + i); i++) {
      state.add(c.extraArrays().get(META + "state." + i));
    }
    objective.restoreCarriedState(state.isEmpty() ? null : state);
    return c;
  }

  /**
   * Trains until a stopping condition holds.
   *
   * @throws NonFiniteException if a loss or gradient is NaN or infinite (nothing was applied; the
   *     message names the iteration and the last good checkpoint)
   * @throws IOException if the metrics, plot or a checkpoint cannot be written
   */
  public Result fit() throws IOException {
    startNanos = System.nanoTime();
    stopRequested = false;
    try {
      tell(l -> l.onStart(progress(lastEpoch)));
      StopReason reason;
      while ((reason = stopReason()) == null) {
        step();
      }
      validateAtEnd();
      Result result = new Result(
          iteration, reason, lastTrainLoss, lastValidation, bestValidation, bestIteration, seconds());
      tell(l -> l.onFinish(result));
      return result;
    } finally {
      for (Closeable output : outputs) {
        output.close();
      }
    }
  }

  /**
   * Validates the final parameters when the run did not end on a scheduled validation. Reported
   * only: early stopping and the best loss count the scheduled validations, so that a run resumed
   * from the final checkpoint continues as the uninterrupted run would.
   */
  private void validateAtEnd() throws IOException {
    if (validates && lastValidationIteration != iteration && iteration > 0) {
      lastValidation = validate();
      lastValidationIteration = iteration;
      tell(l -> l.onValidation(progress(lastEpoch)));
    }
  }

  /** Calls every listener, the trainer's outputs first; their {@link UncheckedIOException}s unwrapped. */
  private void tell(Consumer<TrainingListener> event) throws IOException {
    try {
      for (TrainingListener l : listeners) {
        event.accept(l);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private boolean atEpochStart() {
    return train.position() % train.batchesPerEpoch() == 0;
  }

  private StopReason stopReason() {
    if (stopRequested) {
      return StopReason.REQUESTED;
    }
    if (patience > 0 && badValidations >= patience) {
      return StopReason.EARLY_STOP;
    }
    if (maxIterations > 0 && iteration >= maxIterations) {
      return StopReason.ITERATIONS;
    }
    if (maxEpochs > 0 && train.position() >= maxEpochs * train.batchesPerEpoch()) {
      return StopReason.EPOCHS;
    }
    if (budgetNanos > 0 && System.nanoTime() - startNanos >= budgetNanos) {
      return StopReason.TIME_BUDGET;
    }
    return null;
  }

  /** One optimizer step on the next batch, a validation when one is due, and the listeners. */
  private void step() throws IOException {
    long epoch = train.epoch();
    lastEpoch = epoch;
    long it = iteration + 1;
    // dropout masks depend on the iteration alone, so a resumed run draws the same ones
    model.seedDropout(it * 0x9E3779B97F4A7C15L);
    Gradients g = objective.nextGradients();
    try {
      GradientClipping.checkAndClip(g, it, clipValue, clipNorm);
    } catch (NonFiniteException e) {
      throw new NonFiniteException(it, e.getMessage() + lastGood());
    }
    optimizer.setLearningRate(schedule.rate(baseLr, iteration, epoch));
    optimizer.step(model.parameters(), g.asMap());
    iteration = it;
    lastTrainLoss = g.loss();
    // the model reuses these arrays next step instead of allocating new ones
    g.release();

    boolean validated = validates && it % validateEvery == 0;
    if (validated) {
      validateNow();
    }
    Progress p = progress(epoch);
    tell(l -> l.onIteration(p));
    if (validated) {
      tell(l -> l.onValidation(p));
    }
    if (atEpochStart()) {
      tell(l -> l.onEpochEnd(p));
    }
  }

  private String lastGood() {
    if (checkpoint == null) {
      return "";
    }
    return lastCheckpointIteration >= 0
        ? "; the last good checkpoint, of iteration " + lastCheckpointIteration + ", is " + checkpoint
        : "; no checkpoint was written";
  }

  private Progress progress(long epoch) {
    return new Progress(
        iteration, epoch, lastTrainLoss, lastValidation, optimizer.learningRate(), seconds());
  }

  private double seconds() {
    return secondsBefore + (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * The validation loss now, over one pass of the validation batches (without changing anything): the
   * mean cross-entropy over every counted target, or for a model trained by mean squared error the
   * mean over every counted element.
   *
   * @throws IllegalStateException if no validation data was configured
   */
  public double validate() {
    return objective.validate();
  }

  private void validateNow() {
    double v = validate();
    lastValidation = v;
    lastValidationIteration = iteration;
    if (!Double.isFinite(v)) {
      throw new NonFiniteException(
          iteration, "the validation loss is " + v + " after iteration " + iteration + lastGood());
    }
    if (Double.isNaN(bestValidation) || v < bestValidation) {
      bestValidation = v;
      bestIteration = iteration;
      badValidations = 0;
    } else {
      badValidations++;
    }
  }

  /**
   * Writes a checkpoint of the current state now (parameters, optimizer, data position, iteration,
   * early-stopping state, carried TBPTT state and the builder's metadata).
   *
   * @throws NonFiniteException if a parameter is NaN or infinite (nothing is written, so the previous
   *     checkpoint is kept)
   */
  public void saveCheckpoint(Path file) throws IOException {
    String bad = Finite.firstNonFinite(model.parameters());
    if (bad != null) {
      throw new NonFiniteException(
          iteration, "parameter " + bad + " has NaN or infinite elements after iteration " + iteration
              + "; the checkpoint " + file + " was not overwritten");
    }
    Map<String, String> meta = new LinkedHashMap<>(metadata);
    meta.put(META + "iteration", Long.toString(iteration));
    meta.put(META + "baseLr", Double.toString(baseLr));
    meta.put(META + "bestValidationLoss", Double.toString(bestValidation));
    meta.put(META + "bestIteration", Long.toString(bestIteration));
    meta.put(META + "badValidations", Integer.toString(badValidations));
    meta.put(META + "lastValidationLoss", Double.toString(lastValidation));
    meta.put(META + "lastValidationIteration", Long.toString(lastValidationIteration));
    meta.put(META + "lastTrainLoss", Double.toString(lastTrainLoss));
    meta.put(META + "seconds", Double.toString(seconds()));
    Map<String, INDArray> extra = new LinkedHashMap<>();
    List<INDArray> state = objective.carriedState();
    if (state != null) {
      for (int i = 0; i < state.size(); i++) {
        extra.put(META + "state." + i, state.get(i));
      }
    }
    Checkpoint.save(file, model, optimizer, new byte[0], train.position(), meta, extra);
    if (file.equals(checkpoint)) {
      lastCheckpointIteration = iteration;
    }
    Progress p = progress(lastEpoch);
    tell(l -> l.onCheckpoint(p, file));
  }

  /** The iteration of the last validation, -1 before the first. */
  long lastValidationIteration() {
    return lastValidationIteration;
  }

  /** The iteration of the lowest validation loss, 0 before the first validation. */
  long bestIteration() {
    return bestIteration;
  }

  /** The iteration of the last checkpoint written to the builder's checkpoint file, -1 before it. */
  long lastCheckpointIteration() {
    return lastCheckpointIteration;
  }

  /**
   * Builds a {@link Trainer}: the settings are {@link TrainerSettings}' setters, each returning this
   * builder.
   *
   * @param <B> the kind of batch the model reads
   */
  public static final class Builder<B extends TrainingBatch>
      extends TrainerSettings<B, Builder<B>> {
    private final Objective.Factory<B> objective;

    private Builder(Optimizer optimizer, Objective.Factory<B> objective) {
      super(optimizer);
      this.objective = objective;
    }

    @Override
    Builder<B> self() {
      return this;
    }

    /**
     * The trainer.
     *
     * @throws IllegalStateException if no stopping condition is set, or early stopping without
     *     validation
     * @throws IllegalArgumentException if TBPTT is asked of a bidirectional or stateless model, or of
     *     a sequence generator
     */
    public Trainer build() {
      check();
      return new Trainer(this, objective.create(validation, backSteps));
    }
  }
}
