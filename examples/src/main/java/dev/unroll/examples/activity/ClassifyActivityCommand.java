package dev.unroll.examples.activity;

import dev.unroll.examples.activity.ActivityData.Recording;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.training.Trainer;
import dev.unroll.training.TrainingListener;
import dev.unroll.training.data.Batch;
import dev.unroll.training.data.PaddedBatches;
import dev.unroll.training.data.Split;
import dev.unroll.training.data.Splits;
import dev.unroll.training.optim.Adam;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.unroll.examples.Threads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code classify-activity}: sequence classification of variable-length sensor recordings. */
@Command(
    name = "classify-activity",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Sequence classification: 1,000 synthetic sensor recordings (9 channels, 10 to 50 steps,",
      "3 activities told apart only by how the channels move together over time), padded and",
      "masked in batches, classified by a 2 × 128 LSTM many-to-one (the README's",
      "ActivityClassifier). Prints accuracy and a confusion matrix on the held-out 20%%."
    })
public final class ClassifyActivityCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin Threads threads;

  @Option(names = "--recordings", defaultValue = "1000", description = "Recordings to generate (default: ${DEFAULT-VALUE}).")
  int recordings;

  @Option(names = "--epochs", defaultValue = "8", description = "Passes over the training recordings (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch", defaultValue = "32", description = "Recordings per batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.003", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the data, the split and the initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--no-progress", description = "Do not show the progress bar.")
  boolean noProgress;

  /**
   * What a run measured.
   *
   * @param accuracy validation accuracy
   * @param confusion counts, rows the true class, columns the predicted one
   * @param seconds training time
   */
  public record Outcome(double accuracy, int[][] confusion, double seconds) {}

  @Override
  public Integer call() throws IOException {
    threads.apply();
    PrintWriter out = spec.commandLine().getOut();
    Outcome o = run(recordings, epochs, batch, lr, seed, !noProgress, out);
    return o.accuracy() >= 0.95 ? 0 : 1;
  }

  /** Generates the data, trains, and reports. */
  public static Outcome run(
      int n, int epochs, int batch, double lr, long seed, boolean progress, PrintWriter out)
      throws IOException {
    List<Recording> data = ActivityData.generate(n, seed);
    Split<List<Recording>> split = Splits.random(data, 0.2, seed);
    List<Recording> train = split.train();
    List<Recording> val = split.validation();
    int[] counts = ActivityData.counts(data);
    out.printf(Locale.ROOT, "data       %,d recordings of %d to %d steps × %d channels; %s: %d, %s: %d, %s: %d%n",
        n, ActivityData.MIN_LENGTH, ActivityData.MAX_LENGTH, ActivityData.FEATURES,
        ActivityData.CLASSES.get(0), counts[0], ActivityData.CLASSES.get(1), counts[1],
        ActivityData.CLASSES.get(2), counts[2]);
    out.printf(Locale.ROOT, "split      %,d train, %,d validation (seed %d)%n", train.size(), val.size(), seed);
    out.println("model      @Lstm(hidden = 128, layers = 2) @Features(9) @ManyToOne @Output(3) ActivityClassifier");
    out.print(UnrolledActivityClassifier.COST.summary());
    out.printf(Locale.ROOT, "training   Adam lr %s, batch %d (padded to the longest, masked), clip 5, %d epochs%n%n",
        lr, batch, epochs);
    out.flush();

    UnrolledActivityClassifier model = new UnrolledActivityClassifier(seed);
    PaddedBatches trainBatches = PaddedBatches.featureLabels(
        train.stream().map(Recording::steps).toList(), labels(train), batch, true, seed, DataType.FLOAT);
    PaddedBatches valBatches = PaddedBatches.featureLabels(
        val.stream().map(Recording::steps).toList(), labels(val), 100, false, seed, DataType.FLOAT);
    Trainer trainer = Trainer.builder(model, new Adam(lr), trainBatches)
        .epochs(epochs)
        .validation(valBatches, trainBatches.batchesPerEpoch())
        .clipNorm(5)
        .progressBar(progress)
        .listener(new TrainingListener() {
          @Override
          public void onValidation(Trainer.Progress p) {
            int[][] c = confusion(model, valBatches);
            out.printf(Locale.ROOT, "epoch %2d  %5.1f s  train loss %.4f  validation loss %.4f  accuracy %5.1f%%%n",
                p.epoch() + 1, p.seconds(), p.trainLoss(), p.validationLoss(), 100 * accuracy(c));
            out.flush();
          }
        })
        .build();
    Trainer.Result r = trainer.fit();
    int[][] c = confusion(model, valBatches);
    double acc = accuracy(c);
    out.printf(Locale.ROOT, "%nvalidation accuracy %.1f%% (%d of %d) after %.1f s of training%n%n", 100 * acc,
        correct(c), val.size(), r.seconds());
    out.print(confusionTable(c));
    out.flush();
    return new Outcome(acc, c, r.seconds());
  }

  static int[] labels(List<Recording> recs) {
    return recs.stream().mapToInt(Recording::label).toArray();
  }

  /** Counts of (true, predicted) over one pass of {@code batches}. */
  static int[][] confusion(RecurrentModel model, PaddedBatches batches) {
    int k = ActivityData.CLASSES.size();
    int[][] c = new int[k][k];
    RecurrentModel eval = model.replica();
    batches.seek(0);
    for (long b = 0; b < batches.batchesPerEpoch(); b++) {
      Batch batch = batches.next();
      INDArray logits = eval.forward(batch.x(), batch.mask());
      long[] y = batch.y().toLongVector();
      for (int i = 0; i < y.length; i++) {
        double[] row = logits.getRow(i).toDoubleVector();
        int best = 0;
        for (int j = 1; j < row.length; j++) {
          if (row[j] > row[best]) {
            best = j;
          }
        }
        c[(int) y[i]][best]++;
      }
    }
    return c;
  }

  static int correct(int[][] c) {
    int n = 0;
    for (int i = 0; i < c.length; i++) {
      n += c[i][i];
    }
    return n;
  }

  static double accuracy(int[][] c) {
    int total = 0;
    for (int[] row : c) {
      for (int v : row) {
        total += v;
      }
    }
    return total == 0 ? 0 : correct(c) / (double) total;
  }

  /** The confusion matrix as text: rows the true activity, columns the predicted one. */
  static String confusionTable(int[][] c) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-22s", "true \\ predicted"));
    for (String name : ActivityData.CLASSES) {
      sb.append(String.format(Locale.ROOT, "%10s", name));
    }
    sb.append(System.lineSeparator());
    for (int i = 0; i < c.length; i++) {
      sb.append(String.format(Locale.ROOT, "%-22s", ActivityData.CLASSES.get(i)));
      for (int v : c[i]) {
        sb.append(String.format(Locale.ROOT, "%10d", v));
      }
      sb.append(System.lineSeparator());
    }
    return sb.toString();
  }
}
