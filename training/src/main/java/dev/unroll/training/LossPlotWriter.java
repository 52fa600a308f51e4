package dev.unroll.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Draws the run's loss curves ({@link LossPlot}) from a {@link MetricsCsv}'s history when training ends. */
final class LossPlotWriter implements TrainingListener {
  private final Path file;
  private final MetricsCsv history;

  LossPlotWriter(Path file, MetricsCsv history) {
    this.file = file;
    this.history = history;
  }

  @Override
  public void onFinish(Trainer.Result result) {
    try {
      LossPlot.write(file, history.trainIterations, history.trainLoss, history.validationIterations,
          history.validationLoss);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
