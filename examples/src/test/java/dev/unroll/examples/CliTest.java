package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.activity.ClassifyActivityCommand;
import dev.unroll.examples.hello.HelloCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The top-level command line. */
class CliTest {

  /** The command object that the innermost subcommand of {@code args} parsed into. */
  private static Object parse(String... args) {
    ParseResult r = Main.commandLine().parseArgs(args);
    while (r.hasSubcommand()) {
      r = r.subcommand();
    }
    return r.commandSpec().userObject();
  }

  private static int exit(StringWriter err, String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void unknownCommand_isAUsageError() {
    StringWriter err = new StringWriter();
    assertEquals(2, exit(err, "no-such-command"));
    assertTrue(err.toString().contains("no-such-command"), err.toString());
  }

  @Test
  void subcommands_parseIntoTheirCommands() {
    assertTrue(parse("hello", "--iterations", "30", "--no-source") instanceof HelloCommand);
    assertTrue(parse("classify-activity", "--epochs", "3") instanceof ClassifyActivityCommand);
  }

  @Test
  void help_listsTheCommands() {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    assertEquals(0, cl.execute("--help"));
    for (String name : new String[] {"hello", "char-lm", "classify-activity", "caption", "translate", "forecast"}) {
      assertTrue(out.toString().contains(name), out.toString());
    }
  }

  @Test
  void forecast_atSmallSettings_runsAndBeatsTheBestNaiveForecast(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    // exit 0: the GRU's held-out RMSE is below every naive forecast's
    int code = cl.execute("forecast", "--weeks", "12", "--epochs", "8", "--no-progress", "--out", dir.toString());
    assertEquals(0, code, out + "\n" + err);
    String text = out.toString();
    assertTrue(text.contains("| GRU, @Output(value = 24, loss = Loss.MSE) |"), text);
    assertTrue(text.contains("| seasonal naive, a week back |"), text);
    byte[] png = Files.readAllBytes(dir.resolve("forecast.png"));
    assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG");
  }
}
