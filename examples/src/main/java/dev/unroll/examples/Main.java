package dev.unroll.examples;

import dev.unroll.examples.activity.ClassifyActivityCommand;
import dev.unroll.examples.caption.CaptionCommand;
import dev.unroll.examples.charlm.CharLmCommand;
import dev.unroll.examples.hello.HelloCommand;
import dev.unroll.examples.translate.TranslateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The examples' command-line tool: {@code java -jar examples/target/unroll-examples.jar <command>}. */
@Command(
    name = "unroll-examples",
    mixinStandardHelpOptions = true,
    version = "unroll examples 0.1.0-SNAPSHOT",
    description = "Recurrent networks generated at compile time by unroll, trained on ND4J.",
    subcommands = {
      HelloCommand.class,
      CharLmCommand.class,
      ClassifyActivityCommand.class,
      CaptionCommand.class,
      TranslateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @Spec CommandSpec spec;

  /** Runs a command and exits with its status. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The command line, with the examples' settings (case-insensitive enum values). */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
