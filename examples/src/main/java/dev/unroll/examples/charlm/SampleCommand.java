package dev.unroll.examples.charlm;

import dev.unroll.runtime.StatefulModel;
import dev.unroll.training.Checkpoint;
import dev.unroll.training.data.Vocabulary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import dev.unroll.examples.Threads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code char-lm sample}. */
@Command(
    name = "sample",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Loads a checkpoint of char-lm train (its configuration says which model) and prints text",
      "that follows a priming string, in the vocabulary the model was trained with (the checkpoint's)."
    })
public final class SampleCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin Threads threads;

  @Option(names = {"--checkpoint", "-c"}, defaultValue = "runs/char-lm",
      description = "A checkpoint file, or a directory holding " + CharLmTraining.CHECKPOINT + " (default: ${DEFAULT-VALUE}).")
  Path checkpoint;

  @Option(names = "--prime", defaultValue = "ROMEO:", description = "The text to continue (default: ${DEFAULT-VALUE}).")
  String prime;

  @Option(names = "--length", defaultValue = "500",
      description = "Symbols to generate: characters, or bytes for a byte-level model (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--temperature", defaultValue = "0.8",
      description = "Divides the logits; 0 is greedy, 1 the model's distribution (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "Draw only among the k most likely symbols; 0 for all (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--quiet", description = "Print only the text.")
  boolean quiet;

  /** The checkpoint file the options name. */
  Path file() {
    return Files.isDirectory(checkpoint) ? checkpoint.resolve(CharLmTraining.CHECKPOINT) : checkpoint;
  }

  /** Loads the model saved in {@code file}. */
  public static StatefulModel<?> load(Path file) throws IOException {
    return load(file, Checkpoint.read(file));
  }

  /** Loads the model saved in {@code file}, read already as {@code contents}. */
  static StatefulModel<?> load(Path file, Checkpoint.Contents contents) throws IOException {
    StatefulModel<?> model = ModelChoice.forCheckpoint(file, contents).create(0);
    Checkpoint.load(file, model, null);
    return model;
  }

  @Override
  public Integer call() throws IOException {
    if (prime.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--prime needs at least one character");
    }
    if (length < 0 || topK < 0 || !(temperature >= 0)) {
      throw new ParameterException(spec.commandLine(),
          "--length and --top-k must be at least 0 and --temperature at least 0");
    }
    Path file = file();
    if (!Files.exists(file)) {
      throw new ParameterException(spec.commandLine(), "no checkpoint at " + file
          + ": train a model first (char-lm train writes " + CharLmTraining.CHECKPOINT
          + " into its --out, runs/char-lm by default) or name a checkpoint with --checkpoint");
    }
    threads.apply();
    Checkpoint.Contents c = Checkpoint.read(file);
    StatefulModel<?> model = load(file, c);
    PrintWriter out = spec.commandLine().getOut();
    if (!quiet) {
      out.printf(Locale.ROOT, "# %s: %s, iteration %s, validation loss %s nats/char%n", file,
          ModelChoice.forCheckpoint(file, c).describe(),
          c.metadata().getOrDefault("trainer.iteration", "?"),
          fourPlaces(c.metadata().get("trainer.lastValidationLoss")));
      out.printf(Locale.ROOT, "# temperature %s, top-k %d, seed %d%n", temperature, topK, seed);
    }
    Vocabulary vocabulary = CharLmTraining.vocabulary(c);
    int[] missing = vocabulary.missing(prime);
    if (missing.length > 0) {
      throw new ParameterException(spec.commandLine(), "--prime has characters the model never saw: "
          + Corpus.list(missing) + " (its vocabulary is the " + vocabulary.size()
          + " characters of its training text); leave them out");
    }
    String text = CharLmTraining.sample(model, vocabulary, prime, length, temperature, topK, seed);
    out.println(prime + text);
    out.flush();
    return 0;
  }

  /** A stored loss as the training log prints it (4 places), or "?" when absent or not a number. */
  static String fourPlaces(String loss) {
    if (loss == null) {
      return "?";
    }
    try {
      return String.format(Locale.ROOT, "%.4f", Double.parseDouble(loss));
    } catch (NumberFormatException e) {
      return loss;
    }
  }
}
