package dev.unroll.examples.translate;

import dev.unroll.examples.Threads;
import dev.unroll.examples.generation.Bleu;
import dev.unroll.examples.generation.Decode;
import dev.unroll.examples.generation.Evaluations;
import dev.unroll.examples.generation.SequenceMetrics;
import dev.unroll.examples.generation.StreamBatches;
import dev.unroll.examples.generation.TokenBatch;
import dev.unroll.examples.generation.TrainingOptions;
import dev.unroll.examples.translate.NumberWords.Pair;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.generation.Decoding;
import dev.unroll.runtime.generation.Seq2SeqModel;
import dev.unroll.training.Trainer;
import dev.unroll.training.data.Seq2SeqBatch;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code translate}: number words to digits with a bidirectional GRU encoder-decoder. */
@Command(
    name = "translate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Translation of a synthetic language pair: English number words to digits",
      "(\"three hundred and twelve thousand four hundred and five\" → \"3 1 2 4 0 5\",",
      "1 to 999,999), by an encoder-decoder (@Seq2Seq: a bidirectional GRU encoder",
      "and a GRU decoder of 128 units, the Translator). Trains on fresh numbers for",
      "--iterations, then translates held-out numbers it never saw, greedily and",
      "with beam search (--beam), and prints exact match, token accuracy and corpus",
      "BLEU-4 of both. Writes translate.md and the weights (translator.npz) into --out."
    })
public final class TranslateCommand implements Callable<Integer> {

  /** The report's file name in {@code --out}. */
  public static final String REPORT = "translate.md";
  /** The weights' file name in {@code --out}. */
  public static final String WEIGHTS = "translator.npz";

  @Spec CommandSpec spec;

  @Mixin Threads threads;

  @Mixin TrainingOptions training;

  @Option(names = "--iterations", defaultValue = "4000",
      description = "Training iterations; 0 for no limit (default: ${DEFAULT-VALUE}: about 3 minutes on two shared cores, and the same result every time).")
  long iterations;

  @Option(names = "--beam", defaultValue = "4", description = "Beam width of the second decoding (default: ${DEFAULT-VALUE}).")
  int beam;

  @Option(names = "--alpha", defaultValue = "" + Decoding.DEFAULT_ALPHA,
      description = "Beam search's length penalty: hypotheses are ranked by log-probability / length^alpha (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--held-out", defaultValue = "1000", description = "Distinct held-out numbers (3 to 6 digits), never trained on (default: ${DEFAULT-VALUE}).")
  int heldOut;

  @Option(names = "--evaluate-every", defaultValue = "500", description = "Iterations between evaluations (greedy and beam) on 200 held-out numbers; 0 for none (default: ${DEFAULT-VALUE}).")
  long evaluateEvery;

  @Option(names = "--examples", defaultValue = "8", description = "Held-out translations to show (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the data and the initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", defaultValue = "runs/translate", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  /**
   * What one decoding measured on the held-out numbers.
   *
   * @param exactMatch the fraction translated exactly
   * @param tokenAccuracy the fraction of digit positions (END included) translated right
   * @param bleu corpus BLEU-4 of the digit sequences
   */
  public record Scores(double exactMatch, double tokenAccuracy, Bleu.Score bleu) {}

  /** What a run measured: greedy and beam scores, and how often one was right where the other was not. */
  public record Outcome(Scores greedy, Scores beam, int beamOnlyRight, int greedyOnlyRight, long iterations,
      double seconds) {}

  @Override
  public Integer call() throws IOException {
    if (training.batch < 1 || beam < 1 || heldOut < 1 || heldOut > 10_000) {
      throw new ParameterException(spec.commandLine(),
          "--batch and --beam must be at least 1 and --held-out 1 to 10000");
    }
    if (training.minutes <= 0 && iterations <= 0) {
      throw new ParameterException(spec.commandLine(), "give --iterations or --minutes a positive value");
    }
    int n = threads.apply();
    run(new UnrolledTranslator(seed), n, spec.commandLine().getOut());
    return 0;
  }

  /** Trains {@code model} on fresh numbers and translates the held-out ones. */
  <S extends RecurrentState> Outcome run(Seq2SeqModel<S> model, int threadCount, PrintWriter pw)
      throws IOException {
    List<Pair> test = NumberWords.heldOut(heldOut, seed);
    StreamBatches<Seq2SeqBatch> train = new StreamBatches<>(() -> {
      NumberWords.Stream numbers = new NumberWords.Stream(seed, test);
      return () -> batch(numbers.next(training.batch), model);
    });
    List<Pair> probe = test.subList(0, Math.min(200, test.size()));
    pw.printf(Locale.ROOT, "data       English number words → digits, 1 to %,d; training draws fresh numbers "
        + "(digit count uniform 1 to 6)%n", NumberWords.MAX);
    pw.printf(Locale.ROOT, "           %,d held-out numbers of 3 to 6 digits (seed %d), never trained on%n",
        test.size(), seed);
    pw.printf(Locale.ROOT, "vocabulary source %d ids (PAD, START, END, %d words), target %d ids (PAD, START, END, "
        + "0 to 9)%n", NumberWords.SOURCE.size(), NumberWords.SOURCE.size() - 3, NumberWords.TARGET.size());
    pw.println("model      @Seq2Seq(start = 1, end = 2, maxSteps = 8) Translator: encoder @Gru(hidden = 128, "
        + "bidirectional = true) @Embedding(vocab = 33, dim = 32), decoder @Gru(hidden = 128) "
        + "@Embedding(vocab = 13, dim = 32) @Output(13)");
    pw.printf(Locale.ROOT, "training   Adam lr %s (cosine decay to %s×), batch %d, clip %s, %s, %d thread%s%n%n",
        training.lr, training.lrFinal, training.batch, training.clip, training.budget(iterations), threadCount,
        threadCount == 1 ? "" : "s");
    pw.flush();

    StringBuilder curve = new StringBuilder(String.format(Locale.ROOT,
        "| iteration | seconds | train loss | greedy exact | beam %d exact | greedy BLEU-4 | beam %d BLEU-4 |%n"
            + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |%n", beam, beam));
    Evaluations evaluations = new Evaluations(evaluateEvery, p -> {
      Scores g = scores(probe, decode(model, probe, 1, 0));
      Scores b = scores(probe, decode(model, probe, beam, alpha));
      pw.printf(Locale.ROOT, "%s  held-out[%d] exact match greedy %5.1f%% beam %5.1f%%  BLEU-4 greedy %5.2f "
          + "beam %5.2f%n", p, probe.size(), 100 * g.exactMatch(), 100 * b.exactMatch(), 100 * g.bleu().bleu(),
          100 * b.bleu().bleu());
      pw.flush();
      curve.append(String.format(Locale.ROOT, "| %d | %.0f | %.4f | %.1f%% | %.1f%% | %.2f | %.2f |%n", p.iteration(),
          p.seconds(), p.trainLoss(), 100 * g.exactMatch(), 100 * b.exactMatch(), 100 * g.bleu().bleu(),
          100 * b.bleu().bleu()));
    });
    training.apply(Trainer.builder(model, new Adam(training.lr), train), iterations)
        .listener(evaluations)
        .build()
        .fit();
    Evaluations.Progress end = evaluations.end();

    long t0 = System.nanoTime();
    List<int[]> greedy = decode(model, test, 1, 0);
    double greedySeconds = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    List<int[]> beamed = decode(model, test, beam, alpha);
    double beamSeconds = (System.nanoTime() - t0) / 1e9;
    Scores g = scores(test, greedy);
    Scores b = scores(test, beamed);
    int beamOnly = 0;
    int greedyOnly = 0;
    for (int i = 0; i < test.size(); i++) {
      boolean gr = Arrays.equals(test.get(i).target(), greedy.get(i));
      boolean br = Arrays.equals(test.get(i).target(), beamed.get(i));
      beamOnly += br && !gr ? 1 : 0;
      greedyOnly += gr && !br ? 1 : 0;
    }
    pw.println();
    String table = table(test.size(), g, b, greedySeconds, beamSeconds);
    pw.print(table);
    pw.printf(Locale.ROOT, "greedy %s%n", g.bleu());
    pw.printf(Locale.ROOT, "beam %d %s%n", beam, b.bleu());
    pw.printf(Locale.ROOT, "beam right where greedy is wrong: %d; greedy right where beam is wrong: %d%n",
        beamOnly, greedyOnly);
    String byDigits = byDigits(test, greedy, beamed);
    pw.print(byDigits);
    String shown = examples(test, greedy, beamed, examples);
    pw.println();
    pw.print(shown);
    pw.flush();

    Files.createDirectories(out);
    model.exportWeights(out.resolve(WEIGHTS));
    Files.writeString(out.resolve(REPORT),
        report(threadCount, end, table, g, b, beamOnly, greedyOnly, byDigits, shown, curve.toString(),
            probe.size()), StandardCharsets.UTF_8);
    pw.printf("wrote %s and %s%n", out.resolve(REPORT), out.resolve(WEIGHTS));
    pw.flush();
    return new Outcome(g, b, beamOnly, greedyOnly, end.iteration(), end.seconds());
  }

  /** A training batch: the pairs' number words and their digits. */
  static Seq2SeqBatch batch(List<Pair> pairs, Seq2SeqModel<?> model) {
    return TokenBatch.seq2seq(pairs.stream().map(Pair::source).toList(),
        pairs.stream().map(Pair::target).toList(), model.dataType());
  }

  /**
   * Translations of {@code pairs}, in batches of 250: greedy for width 1, otherwise beam search with
   * length penalty {@code alpha}.
   */
  static <S extends RecurrentState> List<int[]> decode(Seq2SeqModel<S> model, List<Pair> pairs, int width,
      double alpha) {
    List<int[]> out = new ArrayList<>();
    for (int from = 0; from < pairs.size(); from += 250) {
      List<Pair> b = pairs.subList(from, Math.min(pairs.size(), from + 250));
      TokenBatch.Sources src = TokenBatch.sources(b.stream().map(Pair::source).toList(), model.dataType());
      S state = model.encode(src.src(), src.mask());
      out.addAll(width == 1 ? Decode.greedy(model, state) : Decode.beam(model, state, width, alpha));
    }
    return out;
  }

  static Scores scores(List<Pair> pairs, List<int[]> hypotheses) {
    List<int[]> refs = pairs.stream().map(Pair::target).toList();
    SequenceMetrics m = new SequenceMetrics();
    m.addAll(refs, hypotheses);
    return new Scores(m.exactMatch(), m.tokenAccuracy(), Bleu.corpus(refs, hypotheses));
  }

  private String table(int n, Scores g, Scores b, double greedySeconds, double beamSeconds) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "| held-out (%,d numbers; beam α %s) | exact match | token accuracy | BLEU-4 | decoding |%n", n, alpha));
    sb.append("| --- | ---: | ---: | ---: | ---: |\n");
    sb.append(String.format(Locale.ROOT, "| greedy | %.1f%% | %.2f%% | %.2f | %.1f s |%n", 100 * g.exactMatch(),
        100 * g.tokenAccuracy(), 100 * g.bleu().bleu(), greedySeconds));
    sb.append(String.format(Locale.ROOT, "| beam %d | %.1f%% | %.2f%% | %.2f | %.1f s |%n", beam, 100 * b.exactMatch(),
        100 * b.tokenAccuracy(), 100 * b.bleu().bleu(), beamSeconds));
    return sb.toString();
  }

  /** Exact match of both decodings by digit count, as a Markdown table. */
  static String byDigits(List<Pair> test, List<int[]> greedy, List<int[]> beamed) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%n| digits | numbers | greedy exact | beam exact |%n| ---: | ---: | ---: | ---: |%n"));
    for (int d = 1; d <= NumberWords.MAX_DIGITS; d++) {
      int n = 0;
      int g = 0;
      int b = 0;
      for (int i = 0; i < test.size(); i++) {
        int[] ref = test.get(i).target();
        if (ref.length == d) {
          n++;
          g += Arrays.equals(ref, greedy.get(i)) ? 1 : 0;
          b += Arrays.equals(ref, beamed.get(i)) ? 1 : 0;
        }
      }
      if (n > 0) {
        sb.append(String.format(Locale.ROOT, "| %d | %d | %.1f%% | %.1f%% |%n", d, n, 100.0 * g / n, 100.0 * b / n));
      }
    }
    return sb.toString();
  }

  /**
   * The first {@code k} held-out translations, then up to {@code 2k} where greedy and beam differ,
   * then up to {@code k} more that both got wrong.
   */
  static String examples(List<Pair> test, List<int[]> greedy, List<int[]> beamed, int k) {
    StringBuilder first = new StringBuilder();
    StringBuilder differ = new StringBuilder();
    StringBuilder wrong = new StringBuilder();
    int differing = 0;
    int bothWrong = 0;
    for (int i = 0; i < test.size(); i++) {
      boolean same = Arrays.equals(greedy.get(i), beamed.get(i));
      String line = line(test.get(i), greedy.get(i), beamed.get(i));
      if (i < k) {
        first.append(line);
      } else if (!same) {
        if (differing < 2 * k) {
          differ.append(line);
          differing++;
        }
      } else if (!Arrays.equals(test.get(i).target(), greedy.get(i)) && bothWrong < k) {
        wrong.append(line);
        bothWrong++;
      }
    }
    StringBuilder sb = new StringBuilder("held-out numbers (source → reference | greedy | beam; * marks a wrong one):\n");
    sb.append(first);
    if (differing > 0) {
      sb.append("where greedy and beam differ:\n").append(differ);
    }
    if (bothWrong > 0) {
      sb.append("wrong in both:\n").append(wrong);
    }
    return sb.toString();
  }

  private static String line(Pair p, int[] greedy, int[] beamed) {
    String ref = digits(p.target());
    String g = digits(greedy) + (Arrays.equals(p.target(), greedy) ? "" : "*");
    String b = digits(beamed) + (Arrays.equals(p.target(), beamed) ? "" : "*");
    return String.format(Locale.ROOT, "%-70s → %-7s | %-8s | %s%n", NumberWords.SOURCE.decode(p.source()), ref, g, b);
  }

  private static String digits(int[] tokens) {
    return String.join("", NumberWords.TARGET.decodeWords(tokens));
  }

  private String report(int threadCount, Evaluations.Progress end, String table, Scores g,
      Scores b, int beamOnly, int greedyOnly, String byDigits, String shown, String curve, int probeSize) {
    StringBuilder sb = new StringBuilder();
    sb.append("# translate: measured run\n\n");
    sb.append("```bash\njava -jar examples/target/unroll-examples.jar ").append(String.join(" ", commandLine()))
        .append("\n```\n\n");
    sb.append(String.format(Locale.ROOT,
        "Training: %d iterations of %d fresh number pairs in %.1f s (budget %s; %d thread%s on %d cores), Adam lr %s "
            + "with cosine decay to %s×, clip %s, seed %d.%n%n", end.iteration(), training.batch, end.seconds(),
        training.budget(iterations), threadCount, threadCount == 1 ? "" : "s",
        Runtime.getRuntime().availableProcessors(), training.lr, training.lrFinal, training.clip, seed));
    sb.append(table);
    sb.append('\n');
    sb.append("- greedy: ").append(g.bleu()).append('\n');
    sb.append("- beam ").append(beam).append(": ").append(b.bleu()).append('\n');
    sb.append(String.format(Locale.ROOT, "- beam right where greedy is wrong: %d; greedy right where beam is wrong: %d%n",
        beamOnly, greedyOnly));
    sb.append(byDigits).append('\n');
    sb.append("```text\n").append(shown).append("```\n\n");
    sb.append(String.format(Locale.ROOT, "During training, on the first %d held-out numbers:%n%n", probeSize));
    sb.append(curve);
    return sb.toString();
  }

  private List<String> commandLine() {
    List<String> a = new ArrayList<>(List.of("translate", "--iterations", Long.toString(iterations)));
    a.addAll(training.arguments());
    a.addAll(List.of("--beam", Integer.toString(beam),
        "--alpha", Double.toString(alpha),
        "--seed", Long.toString(seed), "--held-out", Integer.toString(heldOut)));
    return a;
  }
}
