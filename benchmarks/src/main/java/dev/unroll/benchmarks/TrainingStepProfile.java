package dev.unroll.benchmarks;

import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.Output;
import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.RuntimeOptions;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.runtime.internal.CrossEntropy;
import dev.unroll.runtime.internal.FusedLstm;
import dev.unroll.training.GradientClipping;
import dev.unroll.training.Sampler;
import dev.unroll.training.Trainer;
import dev.unroll.training.TrainingListener;
import dev.unroll.training.data.Batch;
import dev.unroll.training.data.CharCorpus;
import dev.unroll.training.data.SequenceBatches;
import dev.unroll.training.data.Split;
import dev.unroll.training.optim.Adam;
import dev.unroll.training.optim.Optimizer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One iteration of the main job's training, {@code char-lm} on tiny Shakespeare, taken apart: the
 * 2 × 256 LSTM (embedding 64, the text's 65 characters in a 256-way softmax with the unused classes
 * switched off as the examples' {@code UnusedClasses} does), batch 64 × 100 steps, TBPTT with the
 * state carried, global-norm clipping 5, Adam 2e-3, float32.
 *
 * <p>Each timed iteration runs, in the trainer's order: the batch from the corpus streams, the state
 * carry, a forward-only pass on the same chunk and state (two of them: the evaluation path, as
 * {@code FusedLstm.enabled} picks it for 64 rows of 256 units: the step loop since that loop runs
 * its step products on a contiguous copy of {@code Wᵀ}, libnd4j's fused {@code lstmLayer} op before;
 * and the step-by-step path the gradients call runs, fused op off), the gradients call (forward + backward + loss), the finiteness check as
 * the trainer made it before issue 15 (one libnd4j {@code MatchCondition} per gradient; it now skips
 * it when the global norm is finite), the global norm, the clipping (norm and scale), Adam's step, and
 * apart the loss alone and {@code Finite.firstNonFinite} as the build on the class path has it.
 * Backward is the gradients call minus the step-by-step forward, per
 * iteration. Then, apart, what happens between steps: one validation pass ({@link Trainer#validate()})
 * and one 200-character sample; and whole iterations of {@link Trainer#fit()} (listener timestamps),
 * the figure every part adds up to. Medians after warm-up; heap bytes allocated per iteration by the
 * parts outside the model.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.unroll.benchmarks.TrainingStepProfile --threads 1
 * </pre>
 */
@Command(
    name = "TrainingStepProfile",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Times one training iteration of char-lm's 2 x 256 LSTM (batch 64 x 100, TBPTT, clip 5, Adam)",
      "split into its parts, and a validation pass and a sample between steps; prints a table."
    })
public final class TrainingStepProfile implements Callable<Integer> {

  /** {@code char-lm}'s {@code medium-plain}: PyTorch's {@code nn.LSTM(64, 256, num_layers=2)}. */
  @Lstm(hidden = 256, layers = 2) @Embedding(vocab = 256, dim = 64) @ManyToMany @Output(256)
  public interface CharLm {}

  /** {@code char-lm}'s {@code medium} (the main job's default): dropout 0.2 between the layers. */
  @Lstm(hidden = 256, layers = 2, dropout = 0.2) @Embedding(vocab = 256, dim = 64) @ManyToMany @Output(256)
  public interface CharLmDropout {}

  static final int BATCH = 64;
  static final int STEPS = 100;
  static final double CLIP = 5;
  static final double LR = 2e-3;

  @Option(names = "--threads", defaultValue = "0",
      description = "libnd4j and OpenBLAS threads; 0 keeps the defaults (OMP_NUM_THREADS, else all cores).")
  int threads;

  @Option(names = "--reps", defaultValue = "15", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--warmup", defaultValue = "8", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--evals", defaultValue = "3",
      description = "Timed validation passes and samples, after one untimed (default: ${DEFAULT-VALUE}).")
  int evals;

  @Option(names = "--dropout", description = "The medium model (dropout 0.2) instead of medium-plain.")
  boolean dropout;

  @Option(names = "--text", defaultValue = CharLmVersusTorch.TINY_SHAKESPEARE,
      description = "The text (default: ${DEFAULT-VALUE}, from the repository root).")
  Path text;

  @Option(names = "--label", defaultValue = "", description = "A label printed with the table.")
  String label;

  @Option(names = "--parts-only",
      description = "Only the parts outside the model (check, norm, clipping, Adam) and the loss, on one"
          + " chunk's gradients and logits, --reps times: a quick A/B of the training code.")
  boolean partsOnly;

  /** The trainer's own check (package-private), to time whichever build is on the class path. */
  private static final java.lang.reflect.Method FIRST_NON_FINITE = firstNonFinite();

  private TrainingStepProfile() {}

  private static java.lang.reflect.Method firstNonFinite() {
    try {
      java.lang.reflect.Method m =
          Class.forName("dev.unroll.training.Finite").getDeclaredMethod("firstNonFinite", Map.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainingStepProfile()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String warning = Threads.apply(threads);
    if (warning != null) {
      System.out.println("warning: " + warning);
    }
    CharCorpus corpus = CharCorpus.load(text);
    int used = corpus.vocabulary().size();
    Split<int[]> split = corpus.split(0.1);
    StatefulModel<?> model = dropout
        ? new UnrolledTrainingStepProfile_CharLmDropout(42)
        : new UnrolledTrainingStepProfile_CharLm(42);
    excludeUnused(model, used);
    SequenceBatches train = new SequenceBatches(split.train(), BATCH, STEPS);
    // the examples' validation stream: the held-out text in at most 64 rows
    int valRows = Math.max(1, Math.min(64, (split.validation().length - 1) / STEPS));
    SequenceBatches val = new SequenceBatches(split.validation(), valRows, STEPS);

    System.out.printf(Locale.ROOT, "TrainingStepProfile %s: %s, %d of 256 classes used, batch %d x %d, clip %s,"
            + " Adam %s; %s; load %.2f%n", label, dropout ? "medium (dropout 0.2)" : "medium-plain",
        used, BATCH, STEPS, CLIP, LR, Threads.describe(), load());
    if (partsOnly) {
      printParts(partsOnly(model, new Adam(LR), train));
      return 0;
    }
    Map<String, double[]> parts = iterations(model, new Adam(LR), train);
    Map<String, double[]> between = between(model, used, val);
    double[] fit = fitIterations(model, new Adam(LR), train, used);
    System.out.printf(Locale.ROOT, "load at end %.2f%n%n", load());
    System.out.println("| part | median ms | min ms | share of the iteration |");
    System.out.println("|---|--:|--:|--:|");
    double iteration = median(parts.get("iteration (sum of the parts below)"));
    for (Map.Entry<String, double[]> e : parts.entrySet()) {
      if (e.getKey().startsWith("heap")) {
        continue;
      }
      double m = median(e.getValue());
      boolean counted = !e.getKey().startsWith("  (") && !e.getKey().startsWith("iteration");
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %s |%n", e.getKey(), m, min(e.getValue()),
          counted ? String.format(Locale.ROOT, "%.1f%%", 100 * m / iteration) : "");
    }
    System.out.printf(Locale.ROOT, "| Trainer.fit, whole iteration | %.3f | %.3f | |%n", median(fit), min(fit));
    for (Map.Entry<String, double[]> e : between.entrySet()) {
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | |%n", e.getKey(), median(e.getValue()), min(e.getValue()));
    }
    System.out.printf(Locale.ROOT, "%nheap allocated per iteration outside the model (check, norm, clip, Adam): %.1f KiB%n",
        median(parts.get("heap")) / 1024);
    return 0;
  }

  /**
   * The parts outside the model on one chunk's gradients (a fresh copy each repetition) and its
   * logits: the trainer's check as it was, {@code Finite.firstNonFinite} as this build has it, the
   * global norm, the clipping, Adam's step and the loss with its gradient, milliseconds.
   */
  private <S extends RecurrentState> Map<String, double[]> partsOnly(
      StatefulModel<S> model, Optimizer adam, SequenceBatches train) throws ReflectiveOperationException {
    Batch b = train.next();
    StatefulModel.Chunk<S> chunk = model.gradients(b.x(), b.y(), null, model.initialState(BATCH), STEPS);
    Map<String, INDArray> grads = chunk.gradients().asMap();
    INDArray logits = model.forward(b.x(), null, model.initialState(BATCH)).logits();
    INDArray rows = logits.dup('c').reshape('c', logits.size(0) * logits.size(1), logits.size(2));
    long[] targets = b.y().dup('c').reshape(b.y().length()).toLongVector();
    INDArray gradOut = rows.ulike();
    String[] names = {
      "finite check as it was (MatchCondition per gradient)",
      "Finite.firstNonFinite over the gradients, as this build has it", "global norm alone",
      "clipping (norm + scale)", "Adam step", "loss and its gradient alone: CrossEntropy.lossAndGradient"
    };
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String n : names) {
      out.put(n, new double[reps]);
    }
    for (int i = -warmup; i < reps; i++) {
      Map<String, INDArray> g = new LinkedHashMap<>();
      grads.forEach((k, v) -> g.put(k, v.dup()));
      long t0 = System.nanoTime();
      boolean finite = true;
      for (INDArray a : g.values()) {
        finite &= !BooleanIndexing.or(a, Conditions.notFinite());
      }
      long t1 = System.nanoTime();
      Object bad = FIRST_NON_FINITE.invoke(null, g);
      long t2 = System.nanoTime();
      GradientClipping.globalNorm(g);
      long t3 = System.nanoTime();
      GradientClipping.clipGlobalNorm(g, CLIP);
      long t4 = System.nanoTime();
      adam.step(model.parameters(), g);
      long t5 = System.nanoTime();
      CrossEntropy.lossAndGradient(rows, targets, gradOut);
      long t6 = System.nanoTime();
      if (!finite || bad != null) {
        throw new IllegalStateException("non-finite gradients");
      }
      if (i >= 0) {
        long[] t = {t0, t1, t2, t3, t4, t5, t6};
        int k = 0;
        for (double[] a : out.values()) {
          a[i] = (t[k + 1] - t[k]) / 1e6;
          k++;
        }
      }
    }
    return out;
  }

  private static void printParts(Map<String, double[]> parts) {
    System.out.printf(Locale.ROOT, "load at end %.2f%n%n", load());
    System.out.println("| part | median ms | min ms |");
    System.out.println("|---|--:|--:|");
    for (Map.Entry<String, double[]> e : parts.entrySet()) {
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", e.getKey(), median(e.getValue()), min(e.getValue()));
    }
  }

  /** Sets the output rows of the classes {@code used}..255 to weight 0 and bias -1e4, as UnusedClasses. */
  static void excludeUnused(StatefulModel<?> model, int used) {
    INDArray w = model.parameters().get("fc.weight");
    INDArray b = model.parameters().get("fc.bias");
    long classes = b.length();
    if (used < classes) {
      w.get(NDArrayIndex.interval(used, classes), NDArrayIndex.all()).assign(0);
      b.get(NDArrayIndex.interval(used, classes)).assign(-1e4f);
    }
  }

  /** The parts of {@code warmup + reps} iterations, the timed ones recorded, in milliseconds. */
  private <S extends RecurrentState> Map<String, double[]> iterations(
      StatefulModel<S> model, Optimizer adam, SequenceBatches train) throws ReflectiveOperationException {
    String[] names = {
      "iteration (sum of the parts below)", "batch (SequenceBatches.next)", "state carry",
      "  (forward, evaluation path: " + (FusedLstm.enabled(DataType.FLOAT, BATCH, STEPS, 256)
          ? "fused op)" : "step loop)"), "  (forward, step-by-step path)",
      "gradients (forward + backward + loss)", "  (backward = gradients - step-by-step forward)",
      "  (loss and its gradient alone: CrossEntropy.lossAndGradient)",
      "finite check as it was (MatchCondition per gradient)", "  (global norm alone)", "clipping (norm + scale)",
      "Adam step", "outside the model (check + clip + Adam)",
      "  (Finite.firstNonFinite over the gradients, as this build has it)", "heap"
    };
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String n : names) {
      out.put(n, new double[reps]);
    }
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    S state = null;
    for (int i = -warmup; i < reps; i++) {
      long t0 = System.nanoTime();
      Batch b = train.next();
      long t1 = System.nanoTime();
      if (b.startsStreams()) {
        state = null;
      }
      S start = state == null ? model.initialState(BATCH) : state;
      long t2 = System.nanoTime();
      INDArray logits = model.forward(b.x(), null, start).logits();
      long t3 = System.nanoTime();
      RuntimeOptions.with(o -> o.withFusedLstm(RuntimeOptions.Switch.OFF), () -> model.forward(b.x(), null, start));
      long t4 = System.nanoTime();
      model.seedDropout((train.position()) * 0x9E3779B97F4A7C15L);
      StatefulModel.Chunk<S> chunk = model.gradients(b.x(), b.y(), null, start, STEPS);
      long t5 = System.nanoTime();
      state = chunk.state();
      Gradients g = chunk.gradients();
      long heap0 = bean.getThreadAllocatedBytes(thread);
      long t6 = System.nanoTime();
      boolean finite = Double.isFinite(g.loss());
      for (INDArray a : g.asMap().values()) {
        finite &= !BooleanIndexing.or(a, Conditions.notFinite());
      }
      long t7 = System.nanoTime();
      GradientClipping.globalNorm(g.asMap());
      long t8 = System.nanoTime();
      GradientClipping.clipGlobalNorm(g.asMap(), CLIP);
      long t9 = System.nanoTime();
      adam.step(model.parameters(), g.asMap());
      long t10 = System.nanoTime();
      long heap1 = bean.getThreadAllocatedBytes(thread);
      INDArray rows = logits.dup('c').reshape('c', logits.size(0) * logits.size(1), logits.size(2));
      long[] targets = b.y().dup('c').reshape(b.y().length()).toLongVector();
      INDArray gradOut = rows.ulike();
      long t11 = System.nanoTime();
      CrossEntropy.lossAndGradient(rows, targets, gradOut);
      long t12 = System.nanoTime();
      FIRST_NON_FINITE.invoke(null, g.asMap());
      long t13 = System.nanoTime();
      // as Trainer does: the model reuses the arrays in the next iteration's gradients call
      g.release();
      if (!finite) {
        throw new IllegalStateException("non-finite gradients at iteration " + i);
      }
      if (i < 0) {
        continue;
      }
      double[] ms = {
        (t2 - t0 + t5 - t4 + t7 - t6 + t10 - t8) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
        (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t5 - t4) / 1e6, (t5 - t4 - (t4 - t3)) / 1e6,
        (t12 - t11) / 1e6,
        (t7 - t6) / 1e6, (t8 - t7) / 1e6, (t9 - t8) / 1e6, (t10 - t9) / 1e6,
        (t7 - t6 + t10 - t8) / 1e6, (t13 - t12) / 1e6, heap1 - heap0 - 0.0
      };
      int k = 0;
      for (double[] a : out.values()) {
        a[i] = ms[k++];
      }
    }
    return out;
  }

  /** A validation pass (the trainer's) and a sample, {@code evals} times each after one untimed. */
  private Map<String, double[]> between(StatefulModel<?> model, int used, SequenceBatches val) {
    SequenceBatches dummy = new SequenceBatches(new int[] {0, 1, 2}, 1, 1);
    Trainer trainer = Trainer.builder(model, new Adam(LR), dummy).tbptt(STEPS).validation(val, 1)
        .iterations(1).progressBar(false).build();
    Sampler<?> sampler = Sampler.of(model, used);
    int[] prime = {0};
    double[] validation = new double[evals];
    double[] sample = new double[evals];
    for (int i = -1; i < evals; i++) {
      long t0 = System.nanoTime();
      trainer.validate();
      long t1 = System.nanoTime();
      sampler.sample(prime, new Sampler.Options(200, 0.8, 0, 7 + i));
      long t2 = System.nanoTime();
      if (i >= 0) {
        validation[i] = (t1 - t0) / 1e6;
        sample[i] = (t2 - t1) / 1e6;
      }
    }
    Map<String, double[]> out = new LinkedHashMap<>();
    out.put("between steps: one validation pass (" + val.batchesPerEpoch() + " batches of " + val.batch()
        + " x " + STEPS + ")", validation);
    out.put("between steps: one 200-character sample", sample);
    return out;
  }

  /** Whole iterations of {@link Trainer#fit()} (TBPTT, clip, Adam; no validation), milliseconds. */
  private double[] fitIterations(StatefulModel<?> model, Optimizer adam, SequenceBatches train, int used)
      throws Exception {
    List<Long> stamps = new ArrayList<>();
    Trainer trainer = Trainer.builder(model, adam, train).tbptt(STEPS).clipNorm(CLIP)
        .iterations(warmup + reps + 1).progressBar(false)
        .listener(new TrainingListener() {
          @Override
          public void onIteration(Trainer.Progress p) {
            stamps.add(System.nanoTime());
          }
        })
        .build();
    trainer.fit();
    double[] ms = new double[reps];
    for (int i = 0; i < reps; i++) {
      ms[i] = (stamps.get(warmup + i + 1) - stamps.get(warmup + i)) / 1e6;
    }
    return ms;
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double min(double[] a) {
    return Arrays.stream(a).min().orElse(Double.NaN);
  }

  static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
