package dev.unroll.training;

import dev.unroll.training.data.BatchSource;
import dev.unroll.training.data.TrainingBatch;
import dev.unroll.training.optim.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a {@link Trainer}, set through its {@link Trainer.Builder} (from {@link
 * Trainer#builder}): when to stop, validation, truncated BPTT, clipping, the learning-rate schedule,
 * and the outputs. Each setter checks its argument and returns the builder; {@link
 * Trainer.Builder#build()} checks the combination.
 *
 * @param <B> the kind of batch the model reads
 * @param <S> the builder itself, which each setter returns
 */
public abstract class TrainerSettings<B extends TrainingBatch, S extends TrainerSettings<B, S>> {
  final Optimizer optimizer;
  BatchSource<B> validation;
  long validateEvery;
  long maxEpochs;
  long maxIterations;
  long budgetNanos;
  int backSteps;
  double clipNorm;
  double clipValue;
  LearningRateSchedule schedule = LearningRateSchedule.constant();
  int patience;
  Path metricsCsv;
  Path lossPlot;
  Path checkpoint;
  Path bestCheckpoint;
  long checkpointEvery;
  boolean progressBar = true;
  final List<TrainingListener> listeners = new ArrayList<>();
  final Map<String, String> metadata = new LinkedHashMap<>();

  /** Only {@link Trainer.Builder} extends this class. */
  TrainerSettings(Optimizer optimizer) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
  }

  abstract S self();

  /** Computes the validation loss over one pass of {@code batches} every {@code every} iterations. */
  public S validation(BatchSource<B> batches, long every) {
    this.validation = Objects.requireNonNull(batches, "batches");
    this.validateEvery = Require.atLeast("every", every, 1);
    return self();
  }

  /** Stops after this many epochs of the training batches in total (counted from epoch 0). */
  public S epochs(long epochs) {
    this.maxEpochs = Require.atLeast("epochs", epochs, 1);
    return self();
  }

  /** Stops after this many optimizer steps in total. */
  public S iterations(long iterations) {
    this.maxIterations = Require.atLeast("iterations", iterations, 1);
    return self();
  }

  /** Stops after this much wall-clock time of one {@link Trainer#fit()} call. */
  public S timeBudgetMinutes(double minutes) {
    this.budgetNanos =
        Math.max(1, (long) (Require.positiveFinite("minutes", minutes) * 60e9));
    return self();
  }

  /**
   * Truncated BPTT: the recurrent state is carried from one batch into the next (reset when a batch
   * starts the streams), and gradients flow back through at most {@code backSteps} (k2) steps of
   * each batch. The model must implement {@link dev.unroll.runtime.StatefulModel}.
   *
   * @throws IllegalArgumentException at {@link Trainer.Builder#build()} if the model is
   *     bidirectional, not stateful, or not a {@link dev.unroll.runtime.RecurrentModel}
   */
  public S tbptt(int backSteps) {
    this.backSteps = (int) Require.atLeast("backSteps", backSteps, 1);
    return self();
  }

  /** Clips the gradients to this total L2 norm before every step; 0 (the default) for none. */
  public S clipNorm(double maxNorm) {
    this.clipNorm = Require.notNegative("maxNorm", maxNorm);
    return self();
  }

  /** Clamps every gradient element into [-limit, limit]; 0 (the default) for none. */
  public S clipValue(double limit) {
    this.clipValue = Require.notNegative("limit", limit);
    return self();
  }

  /** The learning-rate schedule; constant by default. */
  public S schedule(LearningRateSchedule schedule) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    return self();
  }

  /** Stops when the validation loss has not improved for {@code patience} validations in a row. */
  public S earlyStopping(int patience) {
    this.patience = (int) Require.atLeast("patience", patience, 1);
    return self();
  }

  /** Writes one CSV row per iteration to this file. */
  public S metricsCsv(Path file) {
    this.metricsCsv = file;
    return self();
  }

  /** Draws the loss curves into this PNG file at the end (headless). */
  public S lossPlot(Path file) {
    this.lossPlot = file;
    return self();
  }

  /**
   * Writes a checkpoint to {@code file} every {@code every} iterations (0: only at the end) and when
   * training stops.
   */
  public S checkpoint(Path file, long every) {
    this.checkpoint = Objects.requireNonNull(file, "file");
    this.checkpointEvery = Require.atLeast("every", every, 0);
    return self();
  }

  /** Writes a checkpoint to {@code file} whenever the validation loss reaches a new low. */
  public S bestCheckpoint(Path file) {
    this.bestCheckpoint = file;
    return self();
  }

  /** Whether to show a progress bar on the console (default true; turn it off in tests). */
  public S progressBar(boolean show) {
    this.progressBar = show;
    return self();
  }

  /** Adds a listener. */
  public S listener(TrainingListener listener) {
    this.listeners.add(Objects.requireNonNull(listener, "listener"));
    return self();
  }

  /** Adds metadata to every checkpoint (such as the vocabulary). */
  public S metadata(String key, String value) {
    this.metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return self();
  }

  /**
   * Checks the combination of settings.
   *
   * @throws IllegalStateException if no stopping condition is set, or early stopping without
   *     validation
   */
  final void check() {
    if (maxEpochs == 0 && maxIterations == 0 && budgetNanos == 0) {
      throw new IllegalStateException(
          "set at least one of epochs, iterations and timeBudgetMinutes");
    }
    if (patience > 0 && validation == null) {
      throw new IllegalStateException("early stopping needs validation data");
    }
  }
}
