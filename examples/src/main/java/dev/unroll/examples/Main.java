package dev.unroll.examples;

import dev.unroll.examples.activity.ClassifyActivityCommand;
import dev.unroll.examples.caption.CaptionCommand;
import dev.unroll.examples.charlm.CharLmCommand;
import dev.unroll.examples.forecast.ForecastCommand;
import dev.unroll.examples.hello.HelloCommand;
import dev.unroll.examples.translate.TranslateCommand;
import dev.unroll.runtime.internal.NativeCpuCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The examples' command-line tool: {@code java -jar examples/target/unroll-examples.jar <command>}.
 *
 * <p>Its jar holds two of ND4J's native builds, oneDNN for AVX2 and the plain one; {@link #main} picks
 * the one this CPU runs before ND4J loads ({@link NativeCpuCheck#chooseNativeBuild()}). Mistakes and
 * failures of every command go to one {@link ErrorHandler}.
 */
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
      ForecastCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @Spec CommandSpec spec;

  @Option(names = ErrorHandler.DEBUG, scope = ScopeType.INHERIT,
      description = "On an error, print its stack trace too.")
  boolean debug;

  /** Runs a command and exits with its status: 0 done, 1 failed, 2 a usage error. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    NativeCpuCheck.chooseNativeBuild().ifPresent(System.err::println);
    System.exit(commandLine().execute(args));
  }

  /**
   * Columns of {@code --help}: the commands' descriptions are written as lines of up to this width,
   * which picocli's default of 80 would break into fragments.
   */
  static final int HELP_WIDTH = 110;

  /**
   * The command line, with the examples' settings: case-insensitive enum values, help
   * {@link #HELP_WIDTH} columns wide, and one {@link ErrorHandler} for usage errors and failures of
   * every command.
   */
  public static CommandLine commandLine() {
    ErrorHandler errors = new ErrorHandler();
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setUsageHelpWidth(HELP_WIDTH)
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors)
        .setExecutionStrategy(errors::execute);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
