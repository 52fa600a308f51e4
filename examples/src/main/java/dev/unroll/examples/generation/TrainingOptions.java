package dev.unroll.examples.generation;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The training options the generation demos share (a picocli mixin): the time limit, batch size,
 * Adam's learning rate and its cosine decay, clipping and the progress bar. Each command keeps its
 * own {@code --iterations} default, data options and output.
 */
public final class TrainingOptions {

  @Option(names = "--minutes", defaultValue = "0",
      description = "Also stop after this many minutes of training, evaluations excluded (default: no limit).")
  public double minutes;

  @Option(names = "--batch", defaultValue = "32", description = "Examples per training batch (default: ${DEFAULT-VALUE}).")
  public int batch;

  @Option(names = "--lr", defaultValue = "0.003", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  public double lr;

  @Option(names = "--lr-final", defaultValue = "0.1",
      description = "Learning rate at the end of the budget as a fraction of --lr, cosine decay (default: ${DEFAULT-VALUE}).")
  public double lrFinal;

  @Option(names = "--clip", defaultValue = "5",
      description = "Clip the gradients' global L2 norm to this; 0 turns it off (default: ${DEFAULT-VALUE}).")
  public double clip;

  @Option(names = "--no-progress", description = "Do not show the progress bar.")
  public boolean noProgress;

  /** The loop's settings for a budget of {@code iterations} (0: none) and these options. */
  public TrainingLoop.Settings settings(long iterations, long evaluateEvery) {
    return new TrainingLoop.Settings(Math.max(0, minutes), Math.max(0, iterations), lr, lrFinal, clip, evaluateEvery,
        !noProgress);
  }

  /** "16000 iterations", "3 minutes or 16000 iterations". */
  public static String budget(TrainingLoop.Settings s) {
    List<String> parts = new ArrayList<>();
    if (s.minutes() > 0) {
      parts.add(number(s.minutes()) + " minutes");
    }
    if (s.iterations() > 0) {
      parts.add(s.iterations() + " iterations");
    }
    return String.join(" or ", parts);
  }

  /** The options as command-line arguments (the time limit only when set), for a report's reproduce line. */
  public List<String> arguments() {
    List<String> a = new ArrayList<>();
    if (minutes > 0) {
      a.addAll(List.of("--minutes", number(minutes)));
    }
    a.addAll(List.of("--batch", Integer.toString(batch), "--lr", Double.toString(lr)));
    return a;
  }

  /** {@code 3} for 3.0, {@code 0.5} for 0.5. */
  public static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
