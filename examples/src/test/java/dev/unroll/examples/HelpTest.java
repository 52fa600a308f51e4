package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help renders, and without picocli's warnings (an unescaped % in a description). */
class HelpTest {

  /** The argument lists that reach every command: [], [hello], [char-lm], [char-lm, train], ... */
  private static List<List<String>> commandPaths(CommandLine cl, List<String> prefix) {
    List<List<String>> paths = new ArrayList<>();
    paths.add(prefix);
    cl.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> path = new ArrayList<>(prefix);
        path.add(name);
        paths.addAll(commandPaths(sub, path));
      }
    });
    return paths;
  }

  @Test
  void everyCommandsHelp_rendersWithoutWarnings() {
    List<List<String>> paths = commandPaths(Main.commandLine(), List.of());
    assertTrue(paths.size() >= 9, "every command: " + paths);
    PrintStream systemErr = System.err;
    for (List<String> path : paths) {
      ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = Main.commandLine();
      cl.setOut(new PrintWriter(out));
      cl.setErr(new PrintWriter(err));
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      int code;
      System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
      try {
        code = cl.execute(args.toArray(String[]::new));
      } finally {
        System.setErr(systemErr);
      }
      String warnings = picocliWarnings.toString(StandardCharsets.UTF_8) + err;
      assertEquals(0, code, path + ": " + warnings);
      assertFalse(warnings.contains("Could not format") || warnings.contains("WARN"),
          path + " --help warns:\n" + warnings);
      String help = out.toString();
      String commandName = path.isEmpty() ? "unroll-examples" : path.get(path.size() - 1);
      assertTrue(help.startsWith("Usage: ") && help.contains(commandName), path + ":\n" + help);
      assertTrue(help.contains("--debug"), "every command takes --debug: " + path);
      CommandLine command = cl;
      for (String name : path) {
        command = command.getSubcommands().get(name);
      }
      for (String line : command.getCommandSpec().usageMessage().description()) {
        String formatted = String.format(line).strip();
        assertTrue(formatted.length() <= Main.HELP_WIDTH - 2 && help.contains(formatted),
            path + ": a description line is broken by the help's width (" + Main.HELP_WIDTH
                + " columns):\n" + formatted + "\n---\n" + help);
      }
      if (path.equals(List.of("char-lm", "curve"))) {
        assertTrue(help.contains("on the last 10%)"), "the description formatted:\n" + help);
      }
      if (path.equals(List.of("classify-activity"))) {
        assertTrue(help.contains("held-out 20%."), "the description formatted:\n" + help);
      }
    }
  }
}
