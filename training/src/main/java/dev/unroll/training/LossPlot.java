package dev.unroll.training;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws loss curves (training and validation loss against the iteration) into a PNG file with XChart,
 * headless: no display is needed.
 */
public final class LossPlot {

  private LossPlot() {}

  /**
   * Writes the curves to {@code file} (replaced atomically).
   *
   * @param trainIterations the iterations of the training losses
   * @param trainLoss the training losses
   * @param validationIterations the iterations of the validation losses
   * @param validationLoss the validation losses
   */
  public static void write(
      Path file, List<? extends Number> trainIterations, List<? extends Number> trainLoss,
      List<? extends Number> validationIterations, List<? extends Number> validationLoss)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(540)
            .title("Loss")
            .xAxisTitle("iteration")
            .yAxisTitle("cross-entropy")
            .build();
    chart.getStyler().setLegendVisible(true);
    if (!trainLoss.isEmpty()) {
      XYSeries s = chart.addSeries("train", trainIterations, trainLoss);
      s.setMarker(SeriesMarkers.NONE);
    }
    if (!validationLoss.isEmpty()) {
      chart.addSeries("validation", validationIterations, validationLoss);
    }
    Path target = file.toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
    Checkpoint.readableByAll(tmp);
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
