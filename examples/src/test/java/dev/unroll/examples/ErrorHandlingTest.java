package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.charlm.CharLmTraining;
import dev.unroll.examples.charlm.ModelChoice;
import dev.unroll.examples.hello.UnrolledHelloModel;
import dev.unroll.training.Checkpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Every mistake the command line can be given gets one or two lines on standard error, no stack trace
 * (unless --debug), and picocli's exit code: 2 for a usage error, 1 for a failure.
 */
class ErrorHandlingTest {

  @TempDir Path dir;

  private record Run(int code, String out, String err) {
    /** The lines on standard error. */
    String[] errLines() {
      return err.strip().split("\\R");
    }
  }

  private static Run run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run run(String... args) {
    return run(Main.commandLine(), args);
  }

  /** One or two lines on standard error, the first naming the command and saying {@code what}. */
  private static void assertShort(Run r, int code, String command, String... what) {
    assertEquals(code, r.code(), r.err());
    String[] lines = r.errLines();
    assertTrue(lines.length >= 1 && lines.length <= 2, "one or two lines:\n" + r.err());
    assertTrue(lines[0].startsWith(command + ": "), r.err());
    for (String w : what) {
      assertTrue(lines[0].contains(w), "'" + w + "' in: " + r.err());
    }
    assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
  }

  /** A checkpoint of the small character model, untrained. */
  private Path smallCheckpoint() throws Exception {
    Path run = Files.createDirectories(dir.resolve("run"));
    Path file = run.resolve(CharLmTraining.CHECKPOINT);
    Checkpoint.save(file, ModelChoice.SMALL.create(1), null, (byte[]) null, 0, Map.of());
    return file;
  }

  @Test
  void missingTextFile_isAUsageError() {
    Path missing = dir.resolve("nosuch.txt");
    Run r = run("char-lm", "train", "--text", missing.toString(), "--iterations", "1");
    assertShort(r, 2, "char-lm train", "--text " + missing, "no such file");
    assertTrue(r.errLines()[1].contains("char-lm train --help"), r.err());
  }

  @Test
  void emptyTextFile_failsNamingTheFile() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.txt"));
    Run r = run("char-lm", "train", "--text", empty.toString(), "--iterations", "1", "--out",
        dir.resolve("out").toString());
    assertShort(r, 1, "char-lm train", empty.toString(), "is empty");
  }

  @Test
  void tooShortTextFile_failsSayingWhatItNeeds() throws Exception {
    Path tiny = Files.writeString(dir.resolve("tiny.txt"), "To be, or not to be", StandardCharsets.UTF_8);
    Run r = run("char-lm", "train", "--text", tiny.toString(), "--iterations", "1", "--out",
        dir.resolve("out").toString());
    assertShort(r, 1, "char-lm train", tiny.toString(), "too short", "--batch + 1 = 33");
  }

  @Test
  void corruptCheckpoint_failsNamingIt() throws Exception {
    Path bad = Files.write(dir.resolve("bad.ckpt"), "not a checkpoint at all".getBytes(StandardCharsets.US_ASCII));
    Run r = run("char-lm", "sample", "--checkpoint", bad.toString());
    assertShort(r, 1, "char-lm sample", bad.toString(), "corrupt");
  }

  @Test
  void truncatedCheckpoint_failsNamingIt() throws Exception {
    Path good = smallCheckpoint();
    byte[] bytes = Files.readAllBytes(good);
    Path cut = Files.write(dir.resolve("cut.ckpt"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Run r = run("char-lm", "sample", "--checkpoint", cut.toString());
    assertShort(r, 1, "char-lm sample", cut.toString());
  }

  @Test
  void foreignCheckpoint_failsNamingTheModelsItTakes() throws Exception {
    Path foreign = dir.resolve("hello.ckpt");
    Checkpoint.save(foreign, new UnrolledHelloModel(1), null, (byte[]) null, 0, Map.of());
    Run r = run("char-lm", "sample", "--checkpoint", foreign.toString());
    assertShort(r, 1, "char-lm sample", foreign.toString(), "HelloModel", ModelChoice.labels());
  }

  @Test
  void sampleBeforeAnyTraining_saysToTrainFirst() {
    Path none = dir.resolve("runs/char-lm");
    Run r = run("char-lm", "sample", "--checkpoint", none.toString());
    assertShort(r, 2, "char-lm sample", "no checkpoint at " + none, "char-lm train");
  }

  @Test
  void resumeWithoutACheckpoint_isAUsageError() {
    Path out = dir.resolve("fresh");
    Run r = run("char-lm", "train", "--resume", "--out", out.toString(), "--iterations", "1");
    assertShort(r, 2, "char-lm train", "--resume", "no checkpoint at " + out.resolve(CharLmTraining.CHECKPOINT));
  }

  @Test
  void resumeThatDoesNotFit_isAUsageError() throws Exception {
    Path ckpt = smallCheckpoint();
    Run r = run("char-lm", "train", "--resume", ckpt.toString(), "--model", "medium", "--batch", "8",
        "--iterations", "1");
    assertShort(r, 2, "char-lm train", "--model medium differs from the checkpoint's small");
  }

  @Test
  void resumeOfAForeignCheckpoint_fails() throws Exception {
    Path foreign = dir.resolve("hello.ckpt");
    Checkpoint.save(foreign, new UnrolledHelloModel(1), null, (byte[]) null, 0, Map.of());
    Run r = run("char-lm", "train", "--resume", foreign.toString(), "--iterations", "1");
    assertShort(r, 1, "char-lm train", foreign.toString(), "not written by char-lm");
  }

  @Test
  void debug_showsTheStackTrace() throws Exception {
    Path bad = Files.write(dir.resolve("bad.ckpt"), new byte[] {1, 2, 3});
    Run r = run("char-lm", "sample", "--checkpoint", bad.toString(), "--debug");
    assertEquals(1, r.code());
    assertTrue(r.errLines()[0].startsWith("char-lm sample: ") && r.errLines()[0].contains(bad.toString()), r.err());
    assertTrue(r.err().contains("\tat dev.unroll."), "the trace:\n" + r.err());
    assertTrue(run("--debug", "char-lm", "sample", "--checkpoint", bad.toString()).err().contains("\tat "),
        "--debug before the command works too");
  }

  @Test
  void unknownOption_isAUsageErrorWithoutTheWholeHelp() {
    Run r = run("char-lm", "train", "--itterations", "5");
    assertShort(r, 2, "char-lm train", "--itterations");
    assertTrue(r.errLines()[1].contains("--iterations"), "a suggestion: " + r.err());
  }

  @Test
  void badValue_isAUsageError() {
    assertShort(run("char-lm", "train", "--batch", "zero"), 2, "char-lm train", "--batch", "zero");
    assertShort(run("translate", "--beam", "wide"), 2, "translate", "--beam");
    assertShort(run("no-such-command"), 2, "unroll-examples", "no-such-command");
  }

  /** A command that fails as a bug would. */
  @Command(name = "broken")
  static final class Broken implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new NullPointerException("simulated");
    }
  }

  /** A command that runs out of memory. */
  @Command(name = "greedy")
  static final class Greedy implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void aDivergedRun_isOneLineWithAHint() {
    String d = ErrorHandler.describe(new dev.unroll.training.NonFiniteException(
        12, "the loss is NaN at iteration 12; the last good checkpoint is runs/x/checkpoint.ckpt"));
    assertEquals("training diverged: the loss is NaN at iteration 12; the last good checkpoint is"
        + " runs/x/checkpoint.ckpt (a lower learning rate or gradient clipping usually helps)", d);
  }

  @Test
  void anUnforeseenFailure_asksForDebug() {
    Run r = run(Main.commandLine().addSubcommand(new Broken()), "broken");
    assertShort(r, 1, "broken", "NullPointerException", "simulated");
    assertTrue(r.errLines()[1].contains("--debug"), r.err());
  }

  @Test
  void anError_isReportedNotThrown() {
    Run r = run(Main.commandLine().addSubcommand(new Greedy()), "greedy");
    assertShort(r, 1, "greedy", "out of memory", "-Xmx");
    assertEquals(1, r.errLines().length, r.err());
  }
}
