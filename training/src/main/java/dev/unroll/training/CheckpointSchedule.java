package dev.unroll.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The trainer's checkpoints as a listener: every {@code every} iterations and at the end to
 * {@code file}, and to {@code bestFile} at every new low of the validation loss. Runs before the
 * listeners that may expect the files.
 */
final class CheckpointSchedule implements TrainingListener {
  private final Trainer trainer;
  private final Path file;
  private final long every;
  private final Path bestFile;

  /**
   * @param file the checkpoint, or null for none
   * @param every its period in iterations (0: only at the end)
   * @param bestFile the best checkpoint, or null for none
   */
  CheckpointSchedule(Trainer trainer, Path file, long every, Path bestFile) {
    this.trainer = trainer;
    this.file = file;
    this.every = every;
    this.bestFile = bestFile;
  }

  @Override
  public void onIteration(Trainer.Progress p) {
    if (file != null && every > 0 && p.iteration() % every == 0) {
      save(file);
    }
  }

  /** A scheduled validation that set a new best loss (the one at the end of a run counts for nothing). */
  @Override
  public void onValidation(Trainer.Progress p) {
    if (bestFile != null && trainer.bestIteration() == p.iteration()
        && trainer.lastValidationIteration() == p.iteration()) {
      save(bestFile);
    }
  }

  @Override
  public void onFinish(Trainer.Result result) {
    if (file != null && trainer.lastCheckpointIteration() != result.iterations() && result.iterations() > 0) {
      save(file);
    }
  }

  private void save(Path to) {
    try {
      trainer.saveCheckpoint(to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
