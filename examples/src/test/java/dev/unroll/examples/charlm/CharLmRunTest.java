package dev.unroll.examples.charlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.Main;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.training.Checkpoint;
import dev.unroll.training.data.Vocabulary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A very short run end to end: train writes a checkpoint, sample loads it, train resumes it. */
class CharLmRunTest {

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void sampleHeaderPrintsTheStoredLossAsTrainingDoes() {
    assertEquals("2.4343", SampleCommand.fourPlaces("2.4343216109275818"));
    assertEquals("?", SampleCommand.fourPlaces(null));
    assertEquals("NaN", SampleCommand.fourPlaces("NaN"));
    assertEquals("n/a", SampleCommand.fourPlaces("n/a"), "a value that is not a number is shown as it is");
  }

  @Test
  void shortRun_writesACheckpointThatSampleLoads() throws Exception {
    Path text = dir.resolve("tiny.txt");
    Files.writeString(text, "To be, or not to be, that is the question:\n".repeat(40), StandardCharsets.UTF_8);
    Path out = dir.resolve("run");
    Run train = run("char-lm", "train", "--text", text.toString(), "--iterations", "4", "--batch", "4",
        "--seq-len", "16", "--validate-every", "2", "--sample-length", "20", "--no-progress",
        "--out", out.toString());
    assertEquals(0, train.code(), train.out() + train.err());
    assertTrue(train.out().contains("validation"), train.out());
    for (String f : List.of(CharLmTraining.CHECKPOINT, CharLmTraining.BEST, CharLmTraining.METRICS,
        CharLmTraining.PLOT)) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    Checkpoint.Contents c = Checkpoint.read(out.resolve(CharLmTraining.CHECKPOINT));
    assertEquals("4", c.metadata().get("trainer.iteration"));
    assertEquals(TrainCommand.MODEL, ModelChoice.forConfig(c.config()));

    StatefulModel<?> model = SampleCommand.load(out.resolve(CharLmTraining.CHECKPOINT));
    assertEquals(TrainCommand.MODEL.create(1).getClass(), model.getClass());

    Run sample = run("char-lm", "sample", "--checkpoint", out.toString(), "--prime", "To be",
        "--length", "30", "--temperature", "0.5", "--top-k", "5", "--seed", "3", "--quiet");
    assertEquals(0, sample.code(), sample.err());
    assertTrue(sample.out().startsWith("To be"), sample.out());
    Run again = run("char-lm", "sample", "--checkpoint", out.toString(), "--prime", "To be",
        "--length", "30", "--temperature", "0.5", "--top-k", "5", "--seed", "3", "--quiet");
    assertEquals(sample.out(), again.out(), "the same seed gives the same text");

    Run resumed = run("char-lm", "train", "--resume", "--iterations", "6", "--validate-every", "2",
        "--sample-every", "0", "--no-progress", "--out", out.toString(), "--text", text.toString());
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("resumed"), resumed.out());
    assertEquals("6", Checkpoint.read(out.resolve(CharLmTraining.CHECKPOINT)).metadata()
        .get("trainer.iteration"));

    Run conflicting = run("char-lm", "train", "--resume", "--model", "medium", "--iterations", "8",
        "--out", out.toString());
    assertEquals(2, conflicting.code());
    assertTrue(conflicting.err().contains("differs from the checkpoint"), conflicting.err());
  }

  @Test
  void theTextsCharactersAreInTheCheckpointAndAnUnseenPrimeIsRefused() throws Exception {
    Path text = dir.resolve("ab.txt");
    Files.writeString(text, "abba cab, bacca.\n".repeat(40), StandardCharsets.UTF_8);
    Path out = dir.resolve("chars");
    Run train = run("char-lm", "train", "--text", text.toString(), "--iterations", "3", "--batch", "4",
        "--seq-len", "16", "--validate-every", "0", "--sample-every", "0", "--no-progress",
        "--out", out.toString());
    assertEquals(0, train.code(), train.out() + train.err());
    assertTrue(train.out().contains("vocabulary the text's 7 characters"), train.out());
    assertTrue(train.out().contains("softmax over 7 of its 256 classes"), train.out());
    Checkpoint.Contents c = Checkpoint.read(out.resolve(CharLmTraining.CHECKPOINT));
    assertEquals(Vocabulary.of("abc ,.\n"), CharLmTraining.vocabulary(c));

    Run sample = run("char-lm", "sample", "--checkpoint", out.toString(), "--prime", "ab",
        "--length", "200", "--temperature", "5", "--quiet");
    assertEquals(0, sample.code(), sample.err());
    assertTrue(sample.out().strip().chars().allMatch(ch -> "abc ,.\n".indexOf(ch) >= 0),
        "only the text's characters, even at temperature 5: " + sample.out());

    Run unseen = run("char-lm", "sample", "--checkpoint", out.toString(), "--prime", "ROMEO:");
    assertEquals(2, unseen.code());
    assertEquals("char-lm sample: --prime has characters the model never saw: U+0052 'R', U+004F 'O', U+004D 'M',"
        + " U+0045 'E', U+003A ':' (its vocabulary is the 7 characters of its training text); leave them out",
        unseen.err().lines().findFirst().orElse(""));

    Run other = run("char-lm", "train", "--resume", "--vocabulary", "bytes", "--iterations", "4",
        "--out", out.toString(), "--text", text.toString());
    assertEquals(2, other.code());
    assertTrue(other.err().contains("a resumed run keeps the checkpoint's vocabulary"), other.err());
  }

  @Test
  void byteLevelTrainingStaysAnOptionAndSamplesAnyPrime() throws Exception {
    Path text = dir.resolve("ab.txt");
    Files.writeString(text, "abba cab, bacca.\n".repeat(40), StandardCharsets.UTF_8);
    Path out = dir.resolve("bytes");
    Run train = run("char-lm", "train", "--text", text.toString(), "--vocabulary", "bytes", "--iterations",
        "2", "--batch", "4", "--seq-len", "16", "--validate-every", "0", "--sample-every", "0",
        "--no-progress", "--out", out.toString());
    assertEquals(0, train.code(), train.out() + train.err());
    assertTrue(train.out().contains("softmax over 256 of its 256 classes"), train.out());
    assertTrue(CharLmTraining.vocabulary(Checkpoint.read(out.resolve(CharLmTraining.CHECKPOINT))).byteLevel());
    Run sample = run("char-lm", "sample", "--checkpoint", out.toString(), "--prime", "ROMEO:",
        "--length", "5", "--quiet");
    assertEquals(0, sample.code(), sample.err());
    assertTrue(sample.out().startsWith("ROMEO:"), sample.out());
  }
}
