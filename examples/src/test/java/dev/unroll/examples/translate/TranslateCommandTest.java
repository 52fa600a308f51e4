package dev.unroll.examples.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A few iterations end to end: the command trains, translates greedily and with beam search, reports. */
class TranslateCommandTest {

  @TempDir Path dir;

  @Test
  void options_parse() {
    TranslateCommand c = (TranslateCommand) Main.commandLine()
        .parseArgs("translate", "--minutes", "2", "--batch", "16", "--beam", "3", "--alpha", "0",
            "--held-out", "40", "--seed", "4", "--out", "y", "--no-progress")
        .subcommand().commandSpec().userObject();
    assertEquals(2, c.training.minutes);
    assertEquals(16, c.training.batch);
    assertEquals(3, c.beam);
    assertEquals(0, c.alpha);
    assertEquals(40, c.heldOut);
    assertEquals(4, c.seed);
    assertEquals(Path.of("y"), c.out);
    assertTrue(c.training.noProgress);
  }

  @Test
  void shortRun_printsParseableMetrics_forGreedyAndBeam() throws Exception {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("translate", "--minutes", "0", "--iterations", "6", "--batch", "8", "--held-out", "30",
        "--beam", "3", "--evaluate-every", "3", "--examples", "3", "--no-progress", "--out", dir.toString());
    assertEquals(0, code, out + "\n" + err);
    String text = out.toString();
    for (String decoding : new String[] {"greedy", "beam 3"}) {
      Matcher m = Pattern.compile("\\| " + decoding + " \\| (\\d+\\.\\d)% \\| (\\d+\\.\\d\\d)% \\| (\\d+\\.\\d\\d) \\|")
          .matcher(text);
      assertTrue(m.find(), decoding + " in\n" + text);
      for (int g = 1; g <= 3; g++) {
        double v = Double.parseDouble(m.group(g));
        assertTrue(v >= 0 && v <= 100, m.group());
      }
    }
    Matcher bleu = Pattern.compile("greedy BLEU-4 (\\d+\\.\\d\\d) \\(p1\\.\\.p4 ").matcher(text);
    assertTrue(bleu.find(), text);
    assertTrue(text.contains("beam right where greedy is wrong: "), text);
    assertTrue(Files.readString(dir.resolve(TranslateCommand.REPORT)).contains("BLEU-4"));
    assertTrue(Files.size(dir.resolve(TranslateCommand.WEIGHTS)) > 0);
  }
}
