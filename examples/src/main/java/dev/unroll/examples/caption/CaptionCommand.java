package dev.unroll.examples.caption;

import dev.unroll.examples.Threads;
import dev.unroll.examples.caption.Scenes.Example;
import dev.unroll.examples.generation.Decode;
import dev.unroll.examples.generation.Evaluations;
import dev.unroll.examples.generation.SequenceMetrics;
import dev.unroll.examples.generation.StreamBatches;
import dev.unroll.examples.generation.TokenBatch;
import dev.unroll.examples.generation.TrainingOptions;
import dev.unroll.examples.generation.WordVocabulary;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.generation.OneToManyModel;
import dev.unroll.training.Trainer;
import dev.unroll.training.data.OneToManyBatch;
import dev.unroll.training.optim.Adam;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code caption}: captions of synthetic scenes from their feature vectors, by a one-to-many LSTM. */
@Command(
    name = "caption",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Captioning without images: synthetic scenes of 1 to 3 groups of objects",
      "(5 colours, 3 shapes, 1 to 3 of each) become noisy 54-feature vectors, and a",
      "one-to-many LSTM (@OneToMany @Lstm(hidden = 128) @Condition(54), the",
      "Captioner) learns to write their captions (\"two red circles and an orange",
      "square\"). Trains on fresh scenes for --iterations, then captions held-out",
      "scenes it never saw, greedily, and prints exact match and token accuracy.",
      "Writes caption.md and the weights (captioner.npz) into --out."
    })
public final class CaptionCommand implements Callable<Integer> {

  /** The report's file name in {@code --out}. */
  public static final String REPORT = "caption.md";
  /** The weights' file name in {@code --out}. */
  public static final String WEIGHTS = "captioner.npz";

  @Spec CommandSpec spec;

  @Mixin Threads threads;

  @Mixin TrainingOptions training;

  @Option(names = "--iterations", defaultValue = "16000",
      description = "Training iterations; 0 for no limit (default: ${DEFAULT-VALUE}: about 4 minutes on two shared cores, and the same result every time).")
  long iterations;

  @Option(names = "--held-out", defaultValue = "1000", description = "Distinct held-out scenes, never trained on (default: ${DEFAULT-VALUE}).")
  int heldOut;

  @Option(names = "--evaluate-every", defaultValue = "500", description = "Iterations between evaluations on 200 held-out scenes; 0 for none (default: ${DEFAULT-VALUE}).")
  long evaluateEvery;

  @Option(names = "--examples", defaultValue = "8", description = "Held-out captions to show (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the data and the initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", defaultValue = "runs/caption", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  /**
   * What a run measured on the held-out scenes.
   *
   * @param exactMatch the fraction of captions decoded exactly
   * @param tokenAccuracy the fraction of caption positions (END included) decoded right
   * @param iterations training iterations
   * @param seconds training seconds
   */
  public record Outcome(double exactMatch, double tokenAccuracy, long iterations, double seconds) {}

  @Override
  public Integer call() throws IOException {
    if (training.batch < 1 || heldOut < 1 || heldOut > 5000) {
      throw new ParameterException(spec.commandLine(), "--batch must be at least 1 and --held-out 1 to 5000");
    }
    if (training.minutes <= 0 && iterations <= 0) {
      throw new ParameterException(spec.commandLine(), "give --iterations or --minutes a positive value");
    }
    int n = threads.apply();
    PrintWriter pw = spec.commandLine().getOut();
    run(new UnrolledCaptioner(seed), n, pw);
    return 0;
  }

  /** Trains {@code model} on fresh scenes and captions the held-out ones. */
  <S extends RecurrentState> Outcome run(OneToManyModel<S> model, int threadCount, PrintWriter pw)
      throws IOException {
    List<Example> test = Scenes.heldOut(heldOut, seed);
    StreamBatches<OneToManyBatch> train = new StreamBatches<>(() -> {
      Scenes.Stream scenes = new Scenes.Stream(seed, test);
      return () -> batch(scenes.next(training.batch), model);
    });
    List<Example> probe = test.subList(0, Math.min(200, test.size()));
    pw.printf(Locale.ROOT, "data       scenes of 1 to %d groups (%d colours × %d shapes, 1 to %d objects), "
            + "%d features (%d slot × count scores + noise σ %.1f, %d distractors)%n",
        Scenes.MAX_GROUPS, Scenes.COLOURS.size(), Scenes.SHAPES.size(), Scenes.MAX_COUNT, Scenes.FEATURES,
        Scenes.COUNT_FEATURES, Scenes.NOISE, Scenes.DISTRACTORS);
    pw.printf(Locale.ROOT, "           %,d held-out scenes (seed %d), never trained on; training draws fresh scenes%n",
        test.size(), seed);
    pw.printf(Locale.ROOT, "vocabulary %d ids: PAD, START, END, %s%n", Scenes.VOCABULARY.size(),
        String.join(" ", Scenes.VOCABULARY.words()));
    pw.println("model      @OneToMany(start = 1, end = 2, maxSteps = 16) @Lstm(hidden = 128) @Condition(54) "
        + "@Embedding(vocab = 20, dim = 32) @Output(20) Captioner");
    pw.printf(Locale.ROOT, "training   Adam lr %s (cosine decay to %s×), batch %d, clip %s, %s, %d thread%s%n%n",
        training.lr, training.lrFinal, training.batch, training.clip, training.budget(iterations), threadCount,
        threadCount == 1 ? "" : "s");
    pw.flush();

    StringBuilder curve = new StringBuilder(
        "| iteration | seconds | train loss | exact match | token accuracy |\n| ---: | ---: | ---: | ---: | ---: |\n");
    Evaluations evaluations = new Evaluations(evaluateEvery, p -> {
      SequenceMetrics m = evaluate(model, probe).metrics;
      pw.printf(Locale.ROOT, "%s  held-out[%d] exact match %5.1f%%  token accuracy %5.1f%%%n", p,
          probe.size(), 100 * m.exactMatch(), 100 * m.tokenAccuracy());
      pw.flush();
      curve.append(String.format(Locale.ROOT, "| %d | %.0f | %.4f | %.1f%% | %.2f%% |%n", p.iteration(), p.seconds(),
          p.trainLoss(), 100 * m.exactMatch(), 100 * m.tokenAccuracy()));
    });
    training.apply(Trainer.builder(model, new Adam(training.lr), train), iterations)
        .listener(evaluations)
        .build()
        .fit();
    Evaluations.Progress end = evaluations.end();

    long t0 = System.nanoTime();
    Evaluation e = evaluate(model, test);
    double decodeSeconds = (System.nanoTime() - t0) / 1e9;
    SequenceMetrics m = e.metrics;
    pw.println();
    pw.printf(Locale.ROOT, "held-out exact match %.1f%% (%d of %d), token accuracy %.2f%%, greedy decoding "
            + "(%.1f s) after %d iterations, %.1f s of training%n",
        100 * m.exactMatch(), m.exact(), m.sequences(), 100 * m.tokenAccuracy(), decodeSeconds,
        end.iteration(), end.seconds());
    String byGroups = byGroups(test, e.captions);
    pw.print(byGroups);
    String shown = examples(test, e.captions, examples);
    pw.println();
    pw.print(shown);
    pw.flush();

    Files.createDirectories(out);
    model.exportWeights(out.resolve(WEIGHTS));
    Files.writeString(out.resolve(REPORT), report(threadCount, end, m, decodeSeconds, byGroups, shown, curve.toString(),
        probe.size()),
        StandardCharsets.UTF_8);
    pw.printf("wrote %s and %s%n", out.resolve(REPORT), out.resolve(WEIGHTS));
    pw.flush();
    return new Outcome(m.exactMatch(), m.tokenAccuracy(), end.iteration(), end.seconds());
  }

  /** A training batch: the scenes' features and their captions. */
  static OneToManyBatch batch(List<Example> examples, OneToManyModel<?> model) {
    return TokenBatch.oneToMany(examples.stream().map(Example::features).toList(),
        examples.stream().map(Example::caption).toList(), model.dataType());
  }

  static INDArray condition(List<Example> examples, OneToManyModel<?> model) {
    return TokenBatch.matrix(examples.stream().map(Example::features).toList(), model.dataType());
  }

  private record Evaluation(SequenceMetrics metrics, List<int[]> captions) {}

  /** Greedy captions of {@code examples}, in batches of 250, and their metrics. */
  private static <S extends RecurrentState> Evaluation evaluate(OneToManyModel<S> model, List<Example> examples) {
    SequenceMetrics m = new SequenceMetrics();
    List<int[]> captions = new ArrayList<>();
    for (int from = 0; from < examples.size(); from += 250) {
      List<Example> b = examples.subList(from, Math.min(examples.size(), from + 250));
      List<int[]> decoded = Decode.greedy(model, model.initialState(condition(b, model)));
      for (int i = 0; i < b.size(); i++) {
        m.add(b.get(i).caption(), decoded.get(i));
      }
      captions.addAll(decoded);
    }
    return new Evaluation(m, captions);
  }

  /** Exact match by the number of groups in the scene, as a Markdown table. */
  static String byGroups(List<Example> test, List<int[]> captions) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%n| groups | scenes | exact match |%n| ---: | ---: | ---: |%n"));
    for (int g = 1; g <= Scenes.MAX_GROUPS; g++) {
      int n = 0;
      int right = 0;
      for (int i = 0; i < test.size(); i++) {
        if (test.get(i).scene().groups().size() == g) {
          n++;
          if (Arrays.equals(test.get(i).caption(), captions.get(i))) {
            right++;
          }
        }
      }
      if (n > 0) {
        sb.append(String.format(Locale.ROOT, "| %d | %d | %.1f%% |%n", g, n, 100.0 * right / n));
      }
    }
    return sb.toString();
  }

  /** The first {@code k} held-out captions, and up to {@code k} wrong ones, reference and output. */
  static String examples(List<Example> test, List<int[]> captions, int k) {
    StringBuilder right = new StringBuilder();
    StringBuilder wrong = new StringBuilder();
    int shown = 0;
    int wrongShown = 0;
    WordVocabulary v = Scenes.VOCABULARY;
    for (int i = 0; i < test.size(); i++) {
      boolean ok = Arrays.equals(test.get(i).caption(), captions.get(i));
      String line = ok
          ? "ok  " + test.get(i).scene().text() + "\n"
          : String.format(Locale.ROOT, "ERR %-62s → %s%n", test.get(i).scene().text(), v.decode(captions.get(i)));
      if (shown < k) {
        right.append(line);
        shown++;
      } else if (!ok && wrongShown < k) {
        wrong.append(line);
        wrongShown++;
      }
    }
    StringBuilder sb = new StringBuilder("held-out scenes (reference caption; the model's when it differs):\n");
    sb.append(right);
    if (wrongShown > 0) {
      sb.append("more errors:\n").append(wrong);
    }
    return sb.toString();
  }

  private String report(int threadCount, Evaluations.Progress end, SequenceMetrics m,
      double decodeSeconds, String byGroups, String shown, String curve, int probeSize) {
    StringBuilder sb = new StringBuilder();
    sb.append("# caption: measured run\n\n");
    sb.append("```bash\njava -jar examples/target/unroll-examples.jar ").append(String.join(" ", commandLine()))
        .append("\n```\n\n");
    sb.append(String.format(Locale.ROOT,
        "Training: %d iterations of %d fresh scenes in %.1f s (budget %s; %d thread%s on %d cores), Adam lr %s with "
            + "cosine decay to %s×, clip %s, seed %d.%n%n", end.iteration(), training.batch, end.seconds(),
        training.budget(iterations), threadCount, threadCount == 1 ? "" : "s",
        Runtime.getRuntime().availableProcessors(), training.lr, training.lrFinal, training.clip, seed));
    sb.append(String.format(Locale.ROOT,
        "Held-out: %,d distinct scenes of two or three groups, never trained on, captioned greedily in %.1f s.%n%n", m.sequences(),
        decodeSeconds));
    sb.append("| metric | value |\n| --- | ---: |\n");
    sb.append(String.format(Locale.ROOT, "| exact match | **%.1f%%** (%,d of %,d) |%n", 100 * m.exactMatch(), m.exact(),
        m.sequences()));
    sb.append(String.format(Locale.ROOT, "| token accuracy | %.2f%% |%n", 100 * m.tokenAccuracy()));
    sb.append(String.format(Locale.ROOT, "| final training loss | %.4f |%n", end.trainLoss()));
    sb.append(byGroups).append('\n');
    sb.append("```text\n").append(shown).append("```\n\n");
    sb.append(String.format(Locale.ROOT, "During training, on the first %d held-out scenes:%n%n", probeSize));
    sb.append(curve);
    return sb.toString();
  }

  private List<String> commandLine() {
    List<String> a = new ArrayList<>(List.of("caption", "--iterations", Long.toString(iterations)));
    a.addAll(training.arguments());
    a.addAll(List.of("--seed", Long.toString(seed),
        "--held-out", Integer.toString(heldOut)));
    return a;
  }
}
