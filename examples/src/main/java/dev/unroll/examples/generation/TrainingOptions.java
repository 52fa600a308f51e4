package dev.unroll.examples.generation;

import dev.unroll.examples.BudgetDecay;
import dev.unroll.training.Trainer;
import dev.unroll.training.data.TrainingBatch;
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
      description = "Also stop after this many minutes (wall clock, the evaluations during training included; default: no limit).")
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

  /**
   * Sets the budget ({@code iterations}, 0 for no limit, and {@code --minutes}), the cosine decay of
   * the learning rate over it, clipping and the progress bar on {@code builder}.
   *
   * @throws IllegalArgumentException if {@code --lr-final} is not in (0, 1] or {@code --clip} is negative
   */
  public <B extends TrainingBatch> Trainer.Builder<B> apply(Trainer.Builder<B> builder, long iterations) {
    if (minutes > 0) {
      builder.timeBudgetMinutes(minutes);
    }
    if (iterations > 0) {
      builder.iterations(iterations);
    }
    return builder
        .schedule(new BudgetDecay(lrFinal, Math.max(0, minutes), Math.max(0, iterations)))
        .clipNorm(clip)
        .progressBar(!noProgress);
  }

  /** "16000 iterations", "3 minutes or 16000 iterations". */
  public String budget(long iterations) {
    List<String> parts = new ArrayList<>();
    if (minutes > 0) {
      parts.add(number(minutes) + " minutes");
    }
    if (iterations > 0) {
      parts.add(iterations + " iterations");
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
