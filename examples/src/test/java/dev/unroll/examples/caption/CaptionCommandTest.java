package dev.unroll.examples.caption;

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

/** A few iterations end to end: the command trains, captions the held-out scenes and reports. */
class CaptionCommandTest {

  @TempDir Path dir;

  @Test
  void options_parse() {
    CaptionCommand c = (CaptionCommand) Main.commandLine()
        .parseArgs("caption", "--minutes", "0.5", "--iterations", "7", "--batch", "16", "--lr", "0.01",
            "--held-out", "50", "--seed", "3", "--out", "x", "--no-progress")
        .subcommand().commandSpec().userObject();
    assertEquals(0.5, c.training.minutes);
    assertEquals(7, c.iterations);
    assertEquals(16, c.training.batch);
    assertEquals(0.01, c.training.lr);
    assertEquals(50, c.heldOut);
    assertEquals(3, c.seed);
    assertEquals(Path.of("x"), c.out);
    assertTrue(c.training.noProgress);
  }

  @Test
  void shortRun_printsParseableMetrics_andWritesTheReport() throws Exception {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("caption", "--minutes", "0", "--iterations", "6", "--batch", "8", "--held-out", "30",
        "--evaluate-every", "3", "--examples", "3", "--no-progress", "--out", dir.toString());
    assertEquals(0, code, out + "\n" + err);
    Matcher m = Pattern.compile(
            "held-out exact match (\\d+\\.\\d)% \\((\\d+) of 30\\), token accuracy (\\d+\\.\\d\\d)%")
        .matcher(out.toString());
    assertTrue(m.find(), out.toString());
    double exact = Double.parseDouble(m.group(1));
    double tokens = Double.parseDouble(m.group(3));
    assertTrue(exact >= 0 && exact <= 100 && tokens >= 0 && tokens <= 100, m.group());
    assertTrue(out.toString().contains("it     6"), out.toString());
    String report = Files.readString(dir.resolve(CaptionCommand.REPORT));
    assertTrue(report.contains("| exact match |"), report);
    assertTrue(Files.size(dir.resolve(CaptionCommand.WEIGHTS)) > 0);
  }
}
