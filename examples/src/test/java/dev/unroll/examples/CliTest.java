package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.activity.ClassifyActivityCommand;
import dev.unroll.examples.hello.HelloCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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
    for (String name : new String[] {"hello", "char-lm", "classify-activity", "caption", "translate"}) {
      assertTrue(out.toString().contains(name), out.toString());
    }
  }
}
