package dev.unroll.training;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trainer's metrics file (one CSV row per iteration) and the loss history for the plot; with a null
 * file, only the history.
 */
final class MetricsCsv implements Closeable {

  static final String HEADER = "iteration,epoch,train_loss,val_loss,lr,seconds";

  final List<Long> trainIterations = new ArrayList<>();
  final List<Double> trainLoss = new ArrayList<>();
  final List<Long> validationIterations = new ArrayList<>();
  final List<Double> validationLoss = new ArrayList<>();
  private final BufferedWriter out;

  /**
   * Opens {@code file}: a fresh run ({@code keepUpTo} 0) starts it over; a resumed run keeps the rows
   * up to iteration {@code keepUpTo} (dropping those a crashed run wrote after its last checkpoint)
   * and appends.
   */
  MetricsCsv(Path file, long keepUpTo) throws IOException {
    List<String> kept = new ArrayList<>();
    kept.add(HEADER);
    if (file == null) {
      out = null;
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

  void row(long iteration, long epoch, double train, double val, double lr, double seconds)
      throws IOException {
    String t = Double.isNaN(train) ? "" : Double.toString(train);
    String v = Double.isNaN(val) ? "" : Double.toString(val);
    history(iteration, t, v);
    if (out == null) {
      return;
    }
    out.write(iteration + "," + epoch + "," + t + "," + v + "," + lr + ","
        + String.format(Locale.ROOT, "%.3f", seconds));
    out.newLine();
  }

  void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
