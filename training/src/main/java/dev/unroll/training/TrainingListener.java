package dev.unroll.training;

import java.nio.file.Path;

/**
 * Hooks into a {@link Trainer}'s loop, for example to print samples from the model while it trains.
 * Every method does nothing by default. Listeners run on the training thread between iterations; they
 * may read the model (use a {@code replica()} to run it) but must not change its parameters.
 *
 * <p>The trainer's own outputs are listeners too, called in this order before the builder's: the
 * metrics CSV, the checkpoints, the loss plot and the progress bar. An {@link
 * java.io.UncheckedIOException} a listener throws leaves {@link Trainer#fit()} as its
 * {@link java.io.IOException}.
 */
public interface TrainingListener {

  /** When {@link Trainer#fit()} starts, before its first iteration (after a resume: where it resumes). */
  default void onStart(Trainer.Progress progress) {}

  /** After every optimizer step. */
  default void onIteration(Trainer.Progress progress) {}

  /** After every validation; {@code progress.validationLoss()} is the new value. */
  default void onValidation(Trainer.Progress progress) {}

  /** After a checkpoint was written. */
  default void onCheckpoint(Trainer.Progress progress, Path file) {}

  /** After the last batch of an epoch. */
  default void onEpochEnd(Trainer.Progress progress) {}

  /** When training stops normally. */
  default void onFinish(Trainer.Result result) {}
}
