package dev.unroll.training;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trainer's metrics file as a listener: one CSV row per iteration (flushed as it is written, so
 * that the file is complete up to every checkpoint), and the loss history for the plot; with a null
 * file, only the history. The file opens when training starts ({@link #onStart}).
 */
final class MetricsCsv implements TrainingListener, Closeable {

  static final String HEADER = "iteration,epoch,train_loss,val_loss,lr,seconds";

  final List<Long> trainIterations = new ArrayList<>();
  final List<Double> trainLoss = new ArrayList<>();
  final List<Long> validationIterations = new ArrayList<>();
  final List<Double> validationLoss = new ArrayList<>();
  private final Path file;
  private final Trainer trainer;
  private BufferedWriter out;
  // the last row written, and whether it carried a validation loss
  private long rowIteration = -1;
  private boolean rowValidated;

  /** The metrics of {@code trainer}'s run, written to {@code file} (null: the history only). */
  MetricsCsv(Path file, Trainer trainer) {
    this.file = file;
    this.trainer = trainer;
  }

  @Override
  public void onStart(Trainer.Progress p) {
    try {
      open(p.iteration());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A row for every step, with the validation loss when this step was validated. */
  @Override
  public void onIteration(Trainer.Progress p) {
    boolean validated = trainer.lastValidationIteration() == p.iteration();
    row(p.iteration(), p.epoch(), p.trainLoss(), validated ? p.validationLoss() : Double.NaN,
        p.learningRate(), p.seconds());
    rowValidated = validated;
  }

  /** The validation at the end of a run, which no step's row carries: a row without a training loss. */
  @Override
  public void onValidation(Trainer.Progress p) {
    if (rowIteration != p.iteration() || !rowValidated) {
      row(p.iteration(), p.epoch(), Double.NaN, p.validationLoss(), p.learningRate(), p.seconds());
      rowValidated = true;
    }
  }

  @Override
  public void onFinish(Trainer.Result result) {
    try {
      close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Opens the file: a fresh run ({@code keepUpTo} 0) starts it over; a resumed run keeps the rows up
   * to iteration {@code keepUpTo} (dropping those a crashed run wrote after its last checkpoint) and
   * appends.
   */
  private void open(long keepUpTo) throws IOException {
    clearHistory();
    List<String> kept = new ArrayList<>();
    kept.add(HEADER);
    if (file == null) {
      return;
    }
    if (keepUpTo > 0 && Files.exists(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 1; i < lines.size(); i++) {
        String line = lines.get(i);
        String[] f = line.split(",", -1);
        try {
          long it = Long.parseLong(f[0]);
          if (it <= keepUpTo && f.length == 6) {
            kept.add(line);
            history(it, f[2], f[3]);
          }
        } catch (NumberFormatException e) {
          // a partial last line of a crashed run
        }
      }
    }
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    for (String line : kept) {
      out.write(line);
      out.newLine();
    }
    out.flush();
  }

  private void clearHistory() {
    trainIterations.clear();
    trainLoss.clear();
    validationIterations.clear();
    validationLoss.clear();
  }

  private void history(long it, String train, String val) {
    if (!train.isEmpty()) {
      trainIterations.add(it);
      trainLoss.add(Double.parseDouble(train));
    }
    if (!val.isEmpty()) {
      validationIterations.add(it);
      validationLoss.add(Double.parseDouble(val));
    }
  }

  private void row(long iteration, long epoch, double train, double val, double lr, double seconds) {
    String t = Double.isNaN(train) ? "" : Double.toString(train);
    String v = Double.isNaN(val) ? "" : Double.toString(val);
    history(iteration, t, v);
    rowIteration = iteration;
    if (out == null) {
      return;
    }
    try {
      out.write(iteration + "," + epoch + "," + t + "," + v + "," + lr + ","
          + String.format(Locale.ROOT, "%.3f", seconds));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
