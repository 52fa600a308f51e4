package dev.unroll.examples.charlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Parsing the options of char-lm train, sample and curve. */
class CharLmCliTest {

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
  void train_defaults() throws Exception {
    TrainCommand t = (TrainCommand) parse("char-lm", "train");
    CharLmTraining.Settings s = t.settings();
    assertEquals(TrainCommand.MODEL, s.model());
    assertEquals(TrainCommand.BATCH, s.batch());
    assertEquals(TrainCommand.SEQ_LEN, s.seqLen());
    assertEquals(OptimizerChoice.ADAM, s.optimizer());
    assertEquals(2e-3, s.lr());  // Adam's rate for the 2 × 256 models
    assertEquals(5, s.clip());
    assertEquals(5, s.minutes());
    assertEquals(0, s.iterations());
    assertEquals(Path.of("runs/char-lm"), s.out());
    assertEquals(null, s.text());
    assertEquals(null, s.resume());
    assertTrue(s.progressBar());
    assertEquals(VocabularyChoice.AUTO, s.vocabulary());
    assertEquals(VocabularyChoice.BYTES,
        ((TrainCommand) parse("char-lm", "train", "--vocabulary", "bytes")).settings().vocabulary());
  }

  @Test
  void train_options(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "some text");
    TrainCommand t = (TrainCommand) parse("char-lm", "train", "--model", "medium", "--text", a.toString(),
        "--seq-len", "100", "--batch", "64", "--optimizer", "RMSprop", "--lr", "0.01", "--clip", "1",
        "--minutes", "2.5", "--seed", "3", "--out", "o", "--lr-final", "1", "--no-progress");
    CharLmTraining.Settings s = t.settings();
    assertEquals(ModelChoice.MEDIUM, s.model());
    assertEquals(a, s.text());
    assertEquals(100, s.seqLen());
    assertEquals(64, s.batch());
    assertEquals(OptimizerChoice.RMSPROP, s.optimizer());
    assertEquals(0.01, s.lr());
    assertEquals(1, s.clip());
    assertEquals(2.5, s.minutes());
    assertEquals(3, s.seed());
    assertEquals(Path.of("o"), s.out());
    assertEquals(1, s.lrFinal());
    assertTrue(!s.progressBar());
  }

  @Test
  void train_optimizerDefaultsToItsOwnLearningRate() throws Exception {
    assertEquals(2e-3, ((TrainCommand) parse("char-lm", "train", "--model", "medium")).settings().lr());
    assertEquals(2e-3, ((TrainCommand) parse("char-lm", "train", "--optimizer", "rmsprop")).settings().lr());
    assertEquals(1.0, ((TrainCommand) parse("char-lm", "train", "--optimizer", "sgd")).settings().lr());
    assertEquals(OptimizerChoice.ADAMW,
        ((TrainCommand) parse("char-lm", "train", "--optimizer", "adamw")).settings().optimizer());
    assertEquals(OptimizerChoice.ADAGRAD,
        ((TrainCommand) parse("char-lm", "train", "--optimizer", "adagrad")).settings().optimizer());
  }

  @Test
  void unknownModel_isAUsageErrorListingTheChoices() {
    StringWriter err = new StringWriter();
    assertEquals(2, exit(err, "char-lm", "train", "--model", "huge"));
    assertTrue(err.toString().contains("small, medium, large, medium-plain"), err.toString());
  }

  @Test
  void badValues_areUsageErrors() {
    assertEquals(2, exit(new StringWriter(), "char-lm", "train", "--batch", "zero"));
    assertEquals(2, exit(new StringWriter(), "char-lm", "train", "--lr-final", "0"));
    assertEquals(2, exit(new StringWriter(), "char-lm", "train", "--minutes", "0"));
    assertEquals(2, exit(new StringWriter(), "char-lm", "train", "--optimizer", "lbfgs"));
  }

  @Test
  void sample_options() {
    SampleCommand s = (SampleCommand) parse("char-lm", "sample", "--prime", "ROMEO:", "--length", "80",
        "--temperature", "0.5", "--top-k", "10", "--seed", "9", "-c", "x.ckpt");
    assertEquals("ROMEO:", s.prime);
    assertEquals(80, s.length);
    assertEquals(0.5, s.temperature);
    assertEquals(10, s.topK);
    assertEquals(9, s.seed);
    assertEquals(Path.of("x.ckpt"), s.checkpoint);
  }

  @Test
  void curve_defaultsAreTheReferenceSetting() {
    CurveCommand c = (CurveCommand) parse("char-lm", "curve");
    assertEquals(15, c.minutes);
    assertEquals(CurveCommand.Defaults.PYTORCH, c.defaults);
    assertEquals(CurveCommand.Defaults.OURS,
        ((CurveCommand) parse("char-lm", "curve", "--defaults", "ours")).defaults);
    var pytorch = CurveCommand.setup(CurveCommand.Defaults.PYTORCH);
    assertEquals(ModelChoice.MEDIUM_PLAIN, pytorch.model());
    assertEquals(64, pytorch.batch());
    assertEquals(100, pytorch.seqLen());
    assertEquals(2e-3, pytorch.lr());
    assertEquals(1, pytorch.lrFinal());
    assertEquals(5, pytorch.clip());
    assertEquals(ModelChoice.MEDIUM, CurveCommand.setup(CurveCommand.Defaults.OURS).model());
    assertEquals(0.5, ((CurveCommand) parse("char-lm", "curve", "--dropout", "0.5")).dropout);
    assertEquals(new CurveCommand.Setup(ModelChoice.MEDIUM, 64, 100, 2e-3, 1, 5),
        CurveCommand.setup(CurveCommand.Defaults.PYTORCH, 0.2), "the medium model has dropout 0.2");
    assertEquals(new CurveCommand.Setup(ModelChoice.MEDIUM_DROPOUT_HALF, 64, 100, 2e-3, 1, 5),
        CurveCommand.setup(CurveCommand.Defaults.PYTORCH, 0.5));
    assertEquals(0.5, ModelChoice.MEDIUM_DROPOUT_HALF.config().dropout());
    assertEquals(pytorch, CurveCommand.setup(CurveCommand.Defaults.PYTORCH, 0));
    var noModel = assertThrows(IllegalArgumentException.class,
        () -> CurveCommand.setup(CurveCommand.Defaults.PYTORCH, 0.3));
    assertTrue(noModel.getMessage().contains("0, 0.2 or 0.5"), noModel.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CurveCommand.setup(CurveCommand.Defaults.OURS, 0.5));
    assertEquals(java.util.List.of(1.0, 2.0, 2.5, 5.0, 7.5, 10.0, 12.5, 15.0),
        CurveCommand.marks(15, 2.5));
    assertEquals(java.util.List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0),
        CurveCommand.marks(15, 1));
    assertEquals(java.util.List.of(0.5, 1.0, 1.5), CurveCommand.marks(1.5, 0.5));
  }

  @Test
  void train_spark_without_spark_names_the_jar_to_run() {
    StringWriter err = new StringWriter();
    assertEquals(1, exit(err, "char-lm", "train", "--spark", "local[2]", "--iterations", "1"));
    assertEquals("--spark needs Spark, which this jar does not hold: run java -jar "
        + "spark/target/unroll-spark.jar with the same arguments instead", err.toString().strip());
  }

  @Test
  void train_spark_partitions_beyond_the_batch_are_refused() {
    StringWriter err = new StringWriter();
    assertEquals(2, exit(err, "char-lm", "train", "--spark", "local[2]", "--batch", "4", "--partitions", "5"));
    assertTrue(err.toString().startsWith("char-lm train: --partitions must be between 1 and --batch (4) but is 5: every "
        + "partition takes at least one row of the batch"), err.toString());
  }
}
