package dev.unroll.examples.charlm;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code char-lm}: character-level language models on tiny Shakespeare or any text. */
@Command(
    name = "char-lm",
    mixinStandardHelpOptions = true,
    description = {
      "Character-level LSTM language models over a text's own characters, or its 256 byte values (any file).",
      "Models: small 1×128, medium 2×256, large 3×512 (dropout 0.2), all with a 64-wide embedding."
    },
    subcommands = {TrainCommand.class, SampleCommand.class, CurveCommand.class})
public final class CharLmCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
