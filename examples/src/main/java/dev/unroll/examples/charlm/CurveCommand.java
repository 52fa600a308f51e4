package dev.unroll.examples.charlm;

import dev.unroll.runtime.StatefulModel;
import dev.unroll.training.LearningRateSchedule;
import dev.unroll.training.Trainer;
import dev.unroll.training.TrainingListener;
import dev.unroll.training.data.SequenceBatches;
import dev.unroll.training.optim.Optimizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import dev.unroll.examples.Threads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code char-lm curve}: the training benchmark. Trains the medium model in PyTorch 1.13's reference
 * setting and records the validation loss against wall-clock minutes of training. PyTorch's own curve
 * comes from the benchmarks module's runner ({@code CharLmVersusTorch}), which runs this command and
 * {@code char_lm_torch.py} one after the other on the same machine: a PyTorch figure without its
 * side-by-side run is not printed here.
 */
@Command(
    name = "curve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The training benchmark: trains the medium model (2 × 256, embedding 64) on tiny Shakespeare",
      "and records the validation loss (nats/char on the last 10%%) against wall-clock minutes of",
      "training (evaluations excluded). --defaults pytorch (the default) is PyTorch 1.13's reference",
      "setting: no dropout, Adam 2e-3, batch 64 × 100 steps, TBPTT with carried state, global-norm",
      "clip 5, the text's own characters; --dropout 0.2 or 0.5 adds dropout between the layers (the",
      "models medium and medium-dropout-0.5, as nn.LSTM's dropout). --defaults ours uses char-lm train's",
      "choices for the medium model instead: dropout 0.2, batch 32 × 64 steps, cosine learning-rate decay",
      "to a tenth over the budget. Writes curve.md, curve.csv and curve.png into --out. For PyTorch's",
      "curve on the same machine, run the benchmarks module's CharLmVersusTorch (benchmarks README)."
    })
public final class CurveCommand implements Callable<Integer> {

  /** Which settings to train with. */
  public enum Defaults {
    /** PyTorch 1.13's reference setting. */
    PYTORCH,
    /** This tool's: dropout and learning-rate decay. */
    OURS;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The minutes of the table. */
  static final double[] TABLE = {1, 2, 5, 10, 15};

  @Spec CommandSpec spec;

  @Mixin Threads threads;

  @Option(names = "--defaults", defaultValue = "pytorch", description = "pytorch or ours (default: ${DEFAULT-VALUE}).")
  Defaults defaults;

  @Option(names = "--dropout", defaultValue = "0",
      description = "With --defaults pytorch: dropout between the layers, 0, 0.2 or 0.5 (compiled models:"
          + " medium-plain, medium, medium-dropout-0.5) (default: ${DEFAULT-VALUE}).")
  double dropout;

  @Option(names = "--minutes", defaultValue = "15", description = "Training minutes (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(names = "--every", defaultValue = "1",
      description = "Minutes between evaluations, besides those of the table (default: ${DEFAULT-VALUE}).")
  double every;

  @Option(names = "--text", paramLabel = "FILE", description = "Another text instead of tiny Shakespeare.")
  Path text;

  @Option(names = "--vocabulary", defaultValue = "auto",
      description = "auto, characters or bytes, as char-lm train's (default: ${DEFAULT-VALUE}: the text's characters).")
  VocabularyChoice vocabulary;

  @Option(names = "--seed", defaultValue = "42", description = "Initialisation seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", description = "Output directory (default: runs/char-lm-curve-<defaults>).")
  Path out;

  @Option(names = "--no-progress", description = "Do not show the progress bar.")
  boolean noProgress;

  /** One evaluation. */
  record Point(double minutes, long iteration, double loss) {}

  /** The model, batch, chunk, learning rate and final fraction of a setting. */
  record Setup(ModelChoice model, int batch, int seqLen, double lr, double lrFinal, double clip) {}

  static Setup setup(Defaults d) {
    return setup(d, 0);
  }

  /**
   * The setting {@code d}; with {@link Defaults#PYTORCH}, the 2 × 256 model compiled with {@code dropout}.
   *
   * @throws IllegalArgumentException for a dropout no model was compiled with, or one with {@code ours}
   */
  static Setup setup(Defaults d, double dropout) {
    if (d == Defaults.OURS && dropout != 0) {
      throw new IllegalArgumentException("--dropout goes with --defaults pytorch; ours has dropout 0.2");
    }
    return switch (d) {
      case PYTORCH -> new Setup(withDropout(dropout), 64, 100, 2e-3, 1, 5);
      case OURS -> new Setup(ModelChoice.MEDIUM, TrainCommand.BATCH, TrainCommand.SEQ_LEN,
          OptimizerChoice.ADAM.defaultLearningRate(ModelChoice.MEDIUM), TrainCommand.LR_FINAL,
          TrainCommand.CLIP);
    };
  }

  private static ModelChoice withDropout(double dropout) {
    for (ModelChoice m : List.of(ModelChoice.MEDIUM_PLAIN, ModelChoice.MEDIUM, ModelChoice.MEDIUM_DROPOUT_HALF)) {
      if (m.config().dropout() == dropout) {
        return m;
      }
    }
    throw new IllegalArgumentException("--dropout must be 0, 0.2 or 0.5 (the compiled 2 × 256 models), not "
        + dropout);
  }

  /** The times to evaluate at: every {@code every} minutes and the table's, up to {@code minutes}. */
  static List<Double> marks(double minutes, double every) {
    List<Double> m = new ArrayList<>();
    for (double t : TABLE) {
      if (t <= minutes + 1e-9) {
        m.add(t);
      }
    }
    if (every > 0) {
      for (double t = every; t <= minutes + 1e-9; t += every) {
        final double v = t;
        if (m.stream().noneMatch(x -> Math.abs(x - v) < 1e-6)) {
          m.add(t);
        }
      }
    }
    if (m.stream().noneMatch(x -> Math.abs(x - minutes) < 1e-6)) {
      m.add(minutes);
    }
    m.sort(Double::compare);
    return m;
  }

  @Override
  public Integer call() throws IOException {
    threads.apply();
    if (!(minutes > 0)) {
      throw new ParameterException(spec.commandLine(), "--minutes must be above 0");
    }
    Setup su;
    try {
      su = setup(defaults, dropout);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter w = spec.commandLine().getOut();
    Path dir = out != null ? out : Path.of("runs", "char-lm-curve-" + defaults);
    Files.createDirectories(dir);
    Corpus corpus = text == null ? Corpus.tinyShakespeare(vocabulary) : Corpus.load(text, vocabulary);
    StatefulModel<?> model = su.model().create(seed);
    UnusedClasses.exclude(model, corpus.vocabulary().size());
    Optimizer optimizer = OptimizerChoice.ADAM.create(su.lr());
    SequenceBatches train = new SequenceBatches(corpus.split().train(), su.batch(), su.seqLen());
    SequenceBatches val = CharLmTraining.validationBatches(corpus.split().validation(), su.seqLen());
    List<Double> marks = marks(minutes, every);

    w.printf(Locale.ROOT, "curve      --defaults %s: %s, %,d parameters%n", defaults, su.model().describe(),
        CharLmTraining.parameters(model));
    w.printf(Locale.ROOT, "           Adam lr %.3g%s, batch %d × %d steps, TBPTT with carried state, clip %s%n",
        su.lr(), su.lrFinal() < 1 ? String.format(Locale.ROOT, " cosine-decayed to %.3g", su.lr() * su.lrFinal()) : " constant",
        su.batch(), su.seqLen(), su.clip());
    w.printf(Locale.ROOT, "text       %s; validation on the last %,d symbols; vocabulary %s%n", corpus.name(),
        corpus.split().validation().length, corpus.why());
    w.printf(Locale.ROOT, "machine    %s; evaluating at minutes %s of training%n", Threads.describe(), marks);
    w.flush();

    Clock clock = new Clock(marks, model, val, w);
    LearningRateSchedule schedule = su.lrFinal() >= 1 ? LearningRateSchedule.constant()
        : (base, iteration, epoch) -> {
          double p = Math.min(1, clock.trainSeconds() / (minutes * 60));
          return base * (su.lrFinal() + (1 - su.lrFinal()) * 0.5 * (1 + Math.cos(Math.PI * p)));
        };
    Trainer trainer = Trainer.builder(model, optimizer, train)
        .tbptt(su.seqLen())
        .clipNorm(su.clip())
        .schedule(schedule)
        .timeBudgetMinutes(minutes * 3 + 30) // a backstop: the clock below stops the run
        .metricsCsv(dir.resolve(CharLmTraining.METRICS))
        .lossPlot(dir.resolve(CharLmTraining.PLOT))
        .checkpoint(dir.resolve(CharLmTraining.CHECKPOINT), 0)
        .progressBar(!noProgress)
        .listener(clock)
        .metadata(CharLmTraining.META_MODEL, su.model().label())
        .metadata(CharLmTraining.META_BATCH, Integer.toString(su.batch()))
        .metadata(CharLmTraining.META_SEQ_LEN, Integer.toString(su.seqLen()))
        .metadata(CharLmTraining.META_OPTIMIZER, OptimizerChoice.ADAM.toString())
        .metadata(CharLmTraining.META_TEXT, text == null ? Corpus.BUILT_IN : text.toString())
        .metadata(CharLmTraining.META_VOCABULARY, corpus.vocabulary().serialize())
        .build();
    clock.trainer = trainer;
    clock.start();
    trainer.fit();

    String table = table(clock.points, su, corpus, trainer.iteration(), clock.trainSeconds());
    Files.writeString(dir.resolve("curve.md"), table, StandardCharsets.UTF_8);
    writeCsv(dir.resolve("curve.csv"), clock.points);
    writePlot(dir.resolve("curve.png"), clock.points);
    w.println();
    w.print(table);
    w.printf(Locale.ROOT, "%nwrote      %s, %s, %s, %s%n", dir.resolve("curve.md"), dir.resolve("curve.csv"),
        dir.resolve("curve.png"), dir.resolve(CharLmTraining.CHECKPOINT));
    w.flush();
    return 0;
  }

  /** Measures training time (evaluations excluded), evaluates at the marks, stops after the last. */
  static final class Clock implements TrainingListener {
    private final List<Double> marks;
    private final StatefulModel<?> model;
    private final SequenceBatches val;
    private final PrintWriter w;
    final List<Point> points = new ArrayList<>();
    Trainer trainer;
    private long startNanos;
    private long pausedNanos;
    private int next;

    Clock(List<Double> marks, StatefulModel<?> model, SequenceBatches val, PrintWriter w) {
      this.marks = marks;
      this.model = model;
      this.val = val;
      this.w = w;
    }

    void start() {
      startNanos = System.nanoTime();
    }

    double trainSeconds() {
      return (System.nanoTime() - startNanos - pausedNanos) / 1e9;
    }

    @Override
    public void onIteration(Trainer.Progress p) {
      double minutesNow = trainSeconds() / 60;
      if (next < marks.size() && minutesNow >= marks.get(next)) {
        long t0 = System.nanoTime();
        double loss = CharLmTraining.evaluate(model.replica(), val);
        points.add(new Point(minutesNow, p.iteration(), loss));
        long spent = System.nanoTime() - t0;
        pausedNanos += spent;
        w.printf(Locale.ROOT, "%nminute %5.2f  iteration %,6d  train %.4f  validation %.4f nats/char  (evaluation took %.1f s)%n",
            minutesNow, p.iteration(), p.trainLoss(), loss, spent / 1e9);
        w.flush();
        while (next < marks.size() && minutesNow >= marks.get(next)) {
          next++;
        }
        if (next >= marks.size()) {
          trainer.requestStop();
        }
      }
    }
  }

  /** The Markdown table. */
  static String table(List<Point> points, Setup su, Corpus corpus, long iterations, double seconds) {
    StringBuilder sb = new StringBuilder();
    sb.append("# char-lm curve: ").append(su.model().describe()).append(" on ").append(corpus.name())
        .append("\n\n");
    sb.append(String.format(Locale.ROOT,
        "Adam lr %.3g%s, batch %d, sequence %d, TBPTT with carried state, global-norm clip %s; "
            + "vocabulary %s; validation loss in nats/char on the last 10%% of the text; minutes of "
            + "training wall clock (evaluations excluded), %s; %,d iterations in %.1f minutes (%.3f s "
            + "each, %.1f per minute).%n%n",
        su.lr(), su.lrFinal() < 1 ? String.format(Locale.ROOT, " cosine-decayed to %.3g", su.lr() * su.lrFinal()) : " constant",
        su.batch(), su.seqLen(), su.clip(), corpus.why(), Threads.describe(), iterations,
        seconds / 60, iterations == 0 ? Double.NaN : seconds / iterations,
        seconds == 0 ? Double.NaN : iterations / (seconds / 60)));
    sb.append("| minutes | validation (iteration) |\n");
    sb.append("| ---: | ---: |\n");
    for (double t : TABLE) {
      Point p = at(points, t);
      String ours = p == null ? "–" : String.format(Locale.ROOT, "%.3f (%,d)", p.loss(), p.iteration());
      sb.append(String.format(Locale.ROOT, "| %s | %s |%n", trim(t), ours));
    }
    sb.append("\nAll evaluations:\n\n| minutes | iteration | validation loss |\n| ---: | ---: | ---: |\n");
    for (Point p : points) {
      sb.append(String.format(Locale.ROOT, "| %.2f | %,d | %.4f |%n", p.minutes(), p.iteration(), p.loss()));
    }
    return sb.toString();
  }

  private static Point at(List<Point> points, double minutes) {
    for (Point p : points) {
      if (p.minutes() >= minutes - 1e-9 && p.minutes() < minutes + 0.5) {
        return p;
      }
    }
    return null;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static void writeCsv(Path file, List<Point> points) throws IOException {
    StringBuilder sb = new StringBuilder("minutes,iteration,val_loss\n");
    for (Point p : points) {
      sb.append(String.format(Locale.ROOT, "%.4f,%d,%.6f%n", p.minutes(), p.iteration(), p.loss()));
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  private static void writePlot(Path file, List<Point> points) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(900).height(540)
        .title("Validation loss against training time")
        .xAxisTitle("minutes").yAxisTitle("nats/char").build();
    chart.getStyler().setLegendVisible(true);
    if (!points.isEmpty()) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (Point p : points) {
        x.add(p.minutes());
        y.add(p.loss());
      }
      chart.addSeries("unroll", x, y);
    }
    try (OutputStream o = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
