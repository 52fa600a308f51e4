package dev.unroll.examples.forecast;

import dev.unroll.examples.Threads;
import dev.unroll.examples.forecast.SeriesData.Naive;
import dev.unroll.training.LearningRateSchedule;
import dev.unroll.training.Trainer;
import dev.unroll.training.TrainingListener;
import dev.unroll.training.data.PaddedBatches;
import dev.unroll.training.optim.Adam;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code forecast}: regression outputs, a noisy two-season series predicted a day ahead. */
@Command(
    name = "forecast",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Regression: a synthetic hourly series (daily and weekly seasons, a trend, AR(1) noise), the",
      "next 24 hours predicted at once from the last 72 by a GRU many-to-one with",
      "@Output(value = 24, loss = Loss.MSE). Prints the RMSE on the held-out last 20%% of the",
      "series against seasonal-naive forecasts (a day back, a week back) and the last value, and",
      "writes a PNG of a held-out week: forecast against truth."
    })
public final class ForecastCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin Threads threads;

  @Option(names = "--weeks", defaultValue = "16", description = "Weeks of hourly data to generate (default: ${DEFAULT-VALUE}).")
  int weeks;

  @Option(names = "--epochs", defaultValue = "30", description = "Passes over the training windows (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch", defaultValue = "32", description = "Windows per batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.005", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the series and the initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", defaultValue = "runs/forecast", description = "Output directory for forecast.png (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--no-progress", description = "Do not show the progress bar.")
  boolean noProgress;

  /**
   * What a run measured.
   *
   * @param rmse the model's RMSE over every held-out forecast hour, in the series' units
   * @param baselines each naive forecast's RMSE over the same hours
   * @param trainSeconds training time
   * @param totalSeconds the whole run: data, training, evaluation and the figure
   * @param figure the PNG written
   */
  public record Outcome(double rmse, Map<Naive, Double> baselines, double trainSeconds, double totalSeconds,
      Path figure) {
    /** The best naive forecast. */
    public Naive best() {
      return baselines.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
  }

  @Override
  public Integer call() throws IOException {
    threads.apply();
    PrintWriter w = spec.commandLine().getOut();
    Outcome o = run(weeks, epochs, batch, lr, seed, out, !noProgress, w);
    return o.rmse() < o.baselines().get(o.best()) ? 0 : 1;
  }

  /** Generates the series, trains, evaluates against the naive forecasts, and draws a held-out week. */
  public static Outcome run(int weeks, int epochs, int batch, double lr, long seed, Path outDir, boolean progress,
      PrintWriter out) throws IOException {
    long start = System.nanoTime();
    int hours = weeks * SeriesData.WEEK;
    double[] y = SeriesData.series(hours, seed);
    int trainEnd = (int) (0.7 * hours);
    int valEnd = (int) (0.8 * hours);
    double mean = 0;
    for (int t = 0; t < trainEnd; t++) {
      mean += y[t];
    }
    mean /= trainEnd;
    double var = 0;
    for (int t = 0; t < trainEnd; t++) {
      var += (y[t] - mean) * (y[t] - mean);
    }
    double std = Math.sqrt(var / trainEnd);
    double[] z = new double[hours];
    for (int t = 0; t < hours; t++) {
      z[t] = (y[t] - mean) / std;
    }
    List<Integer> train = SeriesData.origins(0, trainEnd, 1);
    List<Integer> val = SeriesData.origins(trainEnd, valEnd, 1);
    List<Integer> test = SeriesData.origins(valEnd, hours, 1);
    out.printf(Locale.ROOT, "data       %,d hours (%d weeks): daily and weekly seasons, trend, AR(1) noise (seed %d)%n",
        hours, weeks, seed);
    out.printf(Locale.ROOT, "windows    %d hours in, %d out; %,d train, %,d validation, %,d test forecasts (every hour)%n",
        SeriesData.WINDOW, SeriesData.HORIZON, train.size(), val.size(), test.size());
    out.println("model      @Gru(hidden = 32) @Features(6) @ManyToOne @Output(value = 24, loss = Loss.MSE) Forecaster");
    out.print(UnrolledForecaster.COST.summary());
    out.printf(Locale.ROOT, "training   Adam lr %s decaying to 0.1×, batch %d, clip 1, %d epochs, loss: mean squared error (standardised)%n%n",
        lr, batch, epochs);
    out.flush();

    UnrolledForecaster model = new UnrolledForecaster(seed);
    PaddedBatches trainBatches = batches(z, train, batch, true, seed);
    PaddedBatches valBatches = batches(z, val, 256, false, seed);
    Trainer trainer = Trainer.builder(model, new Adam(lr), trainBatches)
        .epochs(epochs)
        .validation(valBatches, trainBatches.batchesPerEpoch())
        .clipNorm(1)
        .schedule(LearningRateSchedule.exponentialPerEpoch(Math.pow(0.1, 1.0 / Math.max(1, epochs))))
        .progressBar(progress)
        .listener(new TrainingListener() {
          @Override
          public void onValidation(Trainer.Progress p) {
            out.printf(Locale.ROOT, "epoch %2d  %5.1f s  train MSE %.4f  validation MSE %.4f%n",
                p.epoch() + 1, p.seconds(), p.trainLoss(), p.validationLoss());
            out.flush();
          }
        })
        .build();
    Trainer.Result r = trainer.fit();

    double[][] forecasts = forecast(model, z, test, mean, std);
    double rmse = rmse(y, test, forecasts);
    Map<Naive, Double> baselines = new EnumMap<>(Naive.class);
    for (Naive n : Naive.values()) {
      double[][] f = new double[test.size()][];
      for (int i = 0; i < test.size(); i++) {
        f[i] = n.forecast(y, test.get(i));
      }
      baselines.put(n, rmse(y, test, f));
    }
    Naive best = baselines.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
    Files.createDirectories(outDir);
    Path figure = outDir.resolve("forecast.png");
    plot(figure, y, test, forecasts, best);
    double total = (System.nanoTime() - start) / 1e9;

    out.printf(Locale.ROOT, "%nheld-out RMSE over %,d forecasts × %d hours (series units; noise σ of one hour ≈ %.2f)%n%n",
        test.size(), SeriesData.HORIZON, 0.3 / Math.sqrt(1 - 0.36));
    out.println(table(rmse, baselines, best));
    out.printf(Locale.ROOT, "%nGRU against the best naive forecast (%s): %+.1f%%%n", best.words,
        100 * (rmse / baselines.get(best) - 1));
    out.printf(Locale.ROOT, "time       %.1f s training, %.1f s in all%n", r.seconds(), total);
    out.printf(Locale.ROOT, "figure     %s%n", figure);
    out.flush();
    return new Outcome(rmse, baselines, r.seconds(), total, figure);
  }

  private static PaddedBatches batches(double[] z, List<Integer> origins, int batch, boolean shuffle, long seed) {
    List<double[][]> x = new ArrayList<>();
    List<double[]> t = new ArrayList<>();
    for (int o : origins) {
      x.add(SeriesData.features(z, o));
      t.add(SeriesData.targets(z, o));
    }
    return PaddedBatches.featureValues(x, t, batch, shuffle, seed, DataType.FLOAT);
  }

  /** The model's forecasts after each origin, in the series' units. */
  static double[][] forecast(UnrolledForecaster model, double[] z, List<Integer> origins, double mean, double std) {
    double[][] out = new double[origins.size()][];
    for (int from = 0; from < origins.size(); from += 256) {
      int to = Math.min(origins.size(), from + 256);
      double[][][] x = new double[to - from][][];
      for (int i = from; i < to; i++) {
        x[i - from] = SeriesData.features(z, origins.get(i));
      }
      INDArray pred = model.forward(Nd4j.createFromArray(x).castTo(DataType.FLOAT)).castTo(DataType.DOUBLE);
      for (int i = from; i < to; i++) {
        double[] row = pred.getRow(i - from).toDoubleVector();
        double level = SeriesData.level(z, origins.get(i));
        for (int k = 0; k < row.length; k++) {
          row[k] = (row[k] + level) * std + mean;
        }
        out[i] = row;
      }
    }
    return out;
  }

  /** The root mean squared error of forecasts after each origin against the series. */
  static double rmse(double[] y, List<Integer> origins, double[][] forecasts) {
    double sum = 0;
    long n = 0;
    for (int i = 0; i < origins.size(); i++) {
      for (int k = 0; k < forecasts[i].length; k++) {
        double d = forecasts[i][k] - y[origins.get(i) + 1 + k];
        sum += d * d;
        n++;
      }
    }
    return Math.sqrt(sum / n);
  }

  /** The table of RMSEs, a Markdown table. */
  static String table(double rmse, Map<Naive, Double> baselines, Naive best) {
    StringBuilder sb = new StringBuilder();
    sb.append("| forecast | RMSE | vs best naive |\n| --- | ---: | ---: |\n");
    sb.append(String.format(Locale.ROOT, "| GRU, @Output(value = 24, loss = Loss.MSE) | **%.4f** | %+.1f%% |%n", rmse,
        100 * (rmse / baselines.get(best) - 1)));
    for (Map.Entry<Naive, Double> e : baselines.entrySet()) {
      sb.append(String.format(Locale.ROOT, "| %s | %.4f | %+.1f%% |%n", e.getKey().words, e.getValue(),
          100 * (e.getValue() / baselines.get(best) - 1)));
    }
    return sb.toString().stripTrailing();
  }

  /**
   * The first held-out week: the truth, and the forecasts made at each midnight for the day after it
   * (the model's and the best naive one's), joined day to day.
   */
  static void plot(Path file, double[] y, List<Integer> origins, double[][] forecasts, Naive best)
      throws IOException {
    List<Double> hour = new ArrayList<>();
    List<Double> truth = new ArrayList<>();
    List<Double> model = new ArrayList<>();
    List<Double> naive = new ArrayList<>();
    int days = 0;
    int first = -1;
    for (int i = 0; i < origins.size() && days < 7; i++) {
      int o = origins.get(i);
      if ((o + 1) % SeriesData.DAY != 0) {
        continue;
      }
      if (first < 0) {
        first = o + 1;
      }
      double[] n = best.forecast(y, o);
      for (int k = 0; k < SeriesData.HORIZON; k++) {
        hour.add((o + 1 + k - first) / (double) SeriesData.DAY);
        truth.add(y[o + 1 + k]);
        model.add(forecasts[i][k]);
        naive.add(n[k]);
      }
      days++;
    }
    XYChart chart = new XYChartBuilder().width(1000).height(420)
        .title("A held-out week: each day forecast at the midnight before it, 24 hours ahead")
        .xAxisTitle("days from the first held-out midnight").yAxisTitle("value").build();
    chart.getStyler().setLegendVisible(true);
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    XYSeries t = chart.addSeries("truth", hour, truth);
    t.setLineColor(new Color(0x33, 0x33, 0x33));
    t.setMarker(SeriesMarkers.NONE);
    XYSeries n = chart.addSeries(best.words, hour, naive);
    n.setLineColor(new Color(0xE0, 0x8A, 0x2E));
    n.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
    n.setMarker(SeriesMarkers.NONE);
    XYSeries m = chart.addSeries("GRU (MSE)", hour, model);
    m.setLineColor(new Color(0x1F, 0x6F, 0xC5));
    m.setLineStyle(new BasicStroke(2f));
    m.setMarker(SeriesMarkers.NONE);
    try (var o = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
