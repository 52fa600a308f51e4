package dev.unroll.examples.charlm;

import dev.unroll.training.Checkpoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import dev.unroll.examples.Threads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code char-lm train}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains a character LSTM on tiny Shakespeare (built in) or on --text FILE, for --minutes",
      "(5 by default: the defaults were chosen by measurement to give words and speaker names in",
      "five minutes on two cores, about 1.57 nats/char). Truncated BPTT with the state carried",
      "between chunks, Adam with cosine learning-rate decay over the budget, global-norm clipping;",
      "validates on the last 10%% of the text, prints samples, and writes a checkpoint, metrics.csv",
      "and loss.png into --out."
    })
public final class TrainCommand implements Callable<Integer> {

  /**
   * The default model: 2 × 256 with dropout 0.5 between the layers, which reached 1.54 nats/char in
   * five minutes on the 2-core development machine where the 1 × 128 model (the default before its
   * iterations got 2.5× faster) reached 1.58 and stopped improving: see examples/README.md.
   */
  public static final ModelChoice MODEL = ModelChoice.MEDIUM_DROPOUT_HALF;
  /** The default batch: parallel streams. */
  public static final int BATCH = 32;
  /** The default chunk length (k1 = k2). */
  public static final int SEQ_LEN = 64;
  /** The default optimizer. */
  public static final OptimizerChoice OPTIMIZER = OptimizerChoice.ADAM;
  /** The default learning rate at the end of the budget, as a fraction of the base. */
  public static final double LR_FINAL = 0.1;
  /** The default global gradient-norm limit. */
  public static final double CLIP = 5;
  /** The default iterations between validations. */
  public static final int VALIDATE_EVERY = 250;

  @Spec CommandSpec spec;

  @Mixin Threads threads;

  @Option(names = "--model", converter = ModelConverter.class, completionCandidates = ModelConverter.Labels.class,
      description = "small (1×128), medium (2×256), large (3×512), medium-plain (2×256, no dropout) or"
          + " medium-dropout-0.5 (2×256, dropout 0.5); default medium-dropout-0.5.")
  ModelChoice model;

  @Option(names = "--text", paramLabel = "FILE", description = "Train on this file (any bytes) instead of tiny Shakespeare.")
  Path text;

  @Option(names = "--vocabulary",
      description = "auto (the default): the text's own characters when it is UTF-8 with at most 256 distinct"
          + " ones, else its bytes; characters: the text's characters, refused otherwise; bytes: the 256 byte"
          + " values (binary files).")
  VocabularyChoice vocabulary;

  @Option(names = "--seq-len", description = "Steps per TBPTT chunk (default " + SEQ_LEN + ").")
  Integer seqLen;

  @Option(names = "--batch", description = "Parallel streams per batch (default " + BATCH + ").")
  Integer batch;

  @Option(names = "--optimizer", description = "adam, sgd, rmsprop, adagrad or adamw (default adam).")
  OptimizerChoice optimizer;

  @Option(names = "--lr", description = "Learning rate (default: adam and adamw 8e-3 for small, 2e-3 for the others; rmsprop 2e-3; adagrad 0.05; sgd 1).")
  Double lr;

  @Option(names = "--lr-final", defaultValue = "" + LR_FINAL,
      description = "Learning rate at the end of the budget as a fraction of --lr, cosine decay; 1 keeps it constant (default: ${DEFAULT-VALUE}).")
  double lrFinal;

  @Option(names = "--clip", defaultValue = "" + CLIP, description = "Clip the gradients' global L2 norm to this; 0 turns it off (default: ${DEFAULT-VALUE}).")
  double clip;

  @Option(names = "--minutes", defaultValue = "5", description = "Wall-clock budget in minutes (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(names = "--iterations", defaultValue = "0", description = "Also stop after this many iterations in total (default: no limit).")
  long iterations;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the initialisation and the samples (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--validate-every", defaultValue = "" + VALIDATE_EVERY,
      description = "Iterations between validations and checkpoints; 0 for none (default: ${DEFAULT-VALUE}).")
  int validateEvery;

  @Option(names = "--sample-every", description = "Iterations between printed samples; 0 for none (default: every validation).")
  Integer sampleEvery;

  @Option(names = "--sample-length", defaultValue = "200", description = "Characters per printed sample (default: ${DEFAULT-VALUE}).")
  int sampleLength;

  @Option(names = "--out", defaultValue = "runs/char-lm", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--resume", arity = "0..1", fallbackValue = "", paramLabel = "CHECKPOINT",
      description = "Continue from a checkpoint (default: the one in --out). Its model, batch, sequence length and optimizer are kept.")
  String resume;

  @Option(names = "--no-progress", description = "Do not show the progress bar.")
  boolean noProgress;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Compute each step's gradients on Spark (local[N], spark://host:7077, yarn, ...); needs the jar with Spark, spark/target/unroll-spark.jar.")
  String spark;

  @Option(names = "--partitions", defaultValue = "2",
      description = "With --spark: partitions the batch's rows are split over (default: ${DEFAULT-VALUE}).")
  int partitions;

  /** The settings these options give (resolving --resume against the checkpoint). */
  public CharLmTraining.Settings settings() throws java.io.IOException {
    Path resumeFile = null;
    ModelChoice m = model;
    Integer b = batch;
    Integer k = seqLen;
    OptimizerChoice o = optimizer;
    VocabularyChoice v = vocabulary;
    if (resume != null) {
      resumeFile = resume.isEmpty() ? out.resolve(CharLmTraining.CHECKPOINT) : Path.of(resume);
      if (!Files.exists(resumeFile)) {
        throw new ParameterException(spec.commandLine(), "--resume: no checkpoint at " + resumeFile
            + (resume.isEmpty() ? " (the one in --out " + out + ")" : "")
            + "; leave --resume out to start afresh, or name a checkpoint of char-lm train");
      }
      Checkpoint.Contents c = Checkpoint.read(resumeFile);
      ModelChoice saved = ModelChoice.forCheckpoint(resumeFile, c);
      m = same("--model", m, saved);
      b = same("--batch", b, Integer.valueOf(CharLmTraining.meta(c, CharLmTraining.META_BATCH, "" + BATCH)));
      k = same("--seq-len", k, Integer.valueOf(CharLmTraining.meta(c, CharLmTraining.META_SEQ_LEN, "" + SEQ_LEN)));
      o = same("--optimizer", o, OptimizerChoice.forClassName(c.optimizerType()));
      if (v != null) {
        throw new ParameterException(spec.commandLine(), "--vocabulary " + v + ": a resumed run keeps the"
            + " checkpoint's vocabulary (" + CharLmTraining.vocabulary(c) + "); leave the option out");
      }
    }
    if (text != null && !Files.isRegularFile(text)) {
      throw new ParameterException(spec.commandLine(), "--text " + text
          + (Files.isDirectory(text) ? ": is a directory, not a file" : ": no such file"));
    }
    m = m == null ? MODEL : m;
    b = b == null ? BATCH : b;
    k = k == null ? SEQ_LEN : k;
    o = o == null ? OPTIMIZER : o;
    if (b < 1 || k < 1) {
      throw new ParameterException(spec.commandLine(), "--batch and --seq-len must be at least 1");
    }
    if (!(lrFinal > 0 && lrFinal <= 1)) {
      throw new ParameterException(spec.commandLine(), "--lr-final must be in (0, 1], but is " + lrFinal);
    }
    if (minutes <= 0 && iterations <= 0) {
      throw new ParameterException(spec.commandLine(), "give --minutes or --iterations a positive value");
    }
    int every = sampleEvery != null ? sampleEvery : validateEvery;
    return new CharLmTraining.Settings(
        m, text, b, k, o, lr != null ? lr : o.defaultLearningRate(m), lrFinal, clip,
        Math.max(0, minutes), Math.max(0, iterations), seed, validateEvery, every, sampleLength, out,
        !noProgress, resumeFile, v == null ? VocabularyChoice.AUTO : v);
  }

  private <T> T same(String option, T given, T saved) {
    if (given != null && !given.equals(saved)) {
      throw new ParameterException(spec.commandLine(),
          option + " " + given + " differs from the checkpoint's " + saved
              + "; a resumed run keeps the checkpoint's (leave the option out)");
    }
    return saved;
  }

  @Override
  public Integer call() throws Exception {
    CharLmTraining.Settings settings = settings();
    threads.apply();
    PrintWriter w = spec.commandLine().getOut();
    if (spark == null) {
      CharLmTraining.train(settings, w);
      return 0;
    }
    if (partitions < 1 || partitions > settings.batch()) {
      throw new ParameterException(spec.commandLine(), "--partitions must be between 1 and --batch ("
          + settings.batch() + ") but is " + partitions + ": every partition takes at least one row of the batch");
    }
    ClusterTraining cluster = ClusterTraining.find().orElse(null);
    if (cluster == null) {
      spec.commandLine().getErr().println("--spark needs Spark, which this jar does not hold: run "
          + "java -jar spark/target/unroll-spark.jar with the same arguments instead");
      return 1;
    }
    cluster.train(settings, spark, partitions, w);
    return 0;
  }
}
