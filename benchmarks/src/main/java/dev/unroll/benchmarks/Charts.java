package dev.unroll.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;

/** PNG charts with XChart, headless. */
final class Charts {
  private Charts() {}

  /** Call before anything touches AWT. */
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * A grouped bar chart, log scale: one group per category, one bar per series; {@code null} values
   * leave a gap.
   */
  static CategoryChart bars(String title, String yTitle, List<String> categories,
      Map<String, List<Double>> series) {
    CategoryChart chart = new CategoryChartBuilder().width(1000).height(520).title(title)
        .xAxisTitle("shape").yAxisTitle(yTitle).build();
    // XChart's bars start at 0 unless told otherwise, which a log axis refuses: start a decade below.
    double min = series.values().stream().flatMap(List::stream).filter(v -> v != null && v > 0)
        .mapToDouble(Double::doubleValue).min().orElse(1);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    chart.getStyler().setAvailableSpaceFill(0.8);
    chart.getStyler().setOverlapped(false);
    chart.getStyler().setYAxisDecimalPattern("#,##0.##");
    for (Map.Entry<String, List<Double>> e : series.entrySet()) {
      chart.addSeries(e.getKey(), new ArrayList<>(categories), new ArrayList<Number>(e.getValue()));
    }
    return chart;
  }

  /** A line chart: one line per series over {@code x}. */
  static XYChart lines(String title, String xTitle, String yTitle, boolean logX, Map<String, double[][]> series) {
    XYChart chart = new XYChartBuilder().width(700).height(480).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setXAxisDecimalPattern("#,##0");
    chart.getStyler().setYAxisDecimalPattern("#,##0.#");
    for (Map.Entry<String, double[][]> e : series.entrySet()) {
      chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
    }
    return chart;
  }

  /** Writes charts side by side in one PNG. */
  static void save(Path png, List<? extends Chart<?, ?>> charts, int rows, int cols) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    String name = png.toString();
    String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    BitmapEncoder.saveBitmap(new ArrayList<Chart<?, ?>>(charts), rows, cols, base, BitmapFormat.PNG);
  }
}
