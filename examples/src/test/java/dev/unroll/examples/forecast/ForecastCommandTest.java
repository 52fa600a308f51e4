package dev.unroll.examples.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.Main;
import dev.unroll.examples.forecast.SeriesData.Naive;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForecastCommandTest {

  @Test
  void options_parse() {
    ForecastCommand c = (ForecastCommand) Main.commandLine()
        .parseArgs("forecast", "--weeks", "12", "--epochs", "3", "--batch", "16", "--lr", "0.01", "--seed", "5",
            "--out", "x", "--no-progress")
        .subcommand().commandSpec().userObject();
    assertEquals(12, c.weeks);
    assertEquals(3, c.epochs);
    assertEquals(16, c.batch);
    assertEquals(0.01, c.lr);
    assertEquals(5, c.seed);
    assertEquals(Path.of("x"), c.out);
    assertTrue(c.noProgress);
  }

  @Test
  void theSeriesIsReproducible_andHasBothSeasons() {
    double[] y = SeriesData.series(4 * SeriesData.WEEK, 3);
    assertArrayEquals(y, SeriesData.series(4 * SeriesData.WEEK, 3));
    // weekend afternoons (hour 14, bump 1) are lower than weekday afternoons by about 1.6
    double weekday = 0;
    double weekend = 0;
    for (int w = 0; w < 4; w++) {
      for (int d = 0; d < 7; d++) {
        double v = y[w * SeriesData.WEEK + d * SeriesData.DAY + 14];
        if (d >= 5) {
          weekend += v / 8;
        } else {
          weekday += v / 20;
        }
      }
    }
    assertEquals(1.6, weekday - weekend, 0.4);
  }

  @Test
  void naiveForecasts_repeatTheSeason() {
    double[] y = new double[400];
    for (int t = 0; t < y.length; t++) {
      y[t] = t;
    }
    int o = 300;
    double[] day = Naive.SEASONAL_DAY.forecast(y, o);
    double[] week = Naive.SEASONAL_WEEK.forecast(y, o);
    double[] last = Naive.LAST.forecast(y, o);
    for (int k = 1; k <= SeriesData.HORIZON; k++) {
      assertEquals(o + k - 24, day[k - 1]);
      assertEquals(o + k - 168, week[k - 1]);
      assertEquals(o, last[k - 1]);
    }
  }

  @Test
  void windowsAreMeasuredFromTheLastDaysLevel_andTheTargetsFollowTheOrigin() {
    double[] z = new double[600];
    for (int t = 0; t < z.length; t++) {
      z[t] = 0.01 * t;
    }
    int o = SeriesData.firstOrigin();
    double level = SeriesData.level(z, o);
    assertEquals(0.01 * (o - 11.5), level, 1e-12);
    double[][] x = SeriesData.features(z, o);
    assertEquals(SeriesData.WINDOW, x.length);
    assertEquals(SeriesData.FEATURES, x[0].length);
    assertEquals(z[o] - level, x[SeriesData.WINDOW - 1][0], 1e-12);
    assertEquals(z[o + SeriesData.HORIZON - SeriesData.WEEK] - level, x[SeriesData.WINDOW - 1][5], 1e-12);
    assertEquals(z[o - SeriesData.WINDOW + 1 + SeriesData.HORIZON - SeriesData.WEEK] - level, x[0][5], 1e-12);
    assertEquals(z[o + 1] - level, SeriesData.targets(z, o)[0], 1e-12);
    List<Integer> origins = SeriesData.origins(300, 400, 1);
    assertEquals(299, origins.get(0));
    assertEquals(400 - SeriesData.HORIZON - 1, origins.get(origins.size() - 1));
  }

  @Test
  void rmseAndTable() {
    double[] y = {0, 0, 0, 0};
    assertEquals(Math.sqrt(2.5), ForecastCommand.rmse(y, List.of(0, 1), new double[][] {{1, 2}, {1, 2}}), 1e-12);
    String table = ForecastCommand.table(0.5, Map.of(Naive.SEASONAL_WEEK, 1.0, Naive.SEASONAL_DAY, 2.0,
        Naive.LAST, 4.0), Naive.SEASONAL_WEEK);
    assertTrue(table.contains("| GRU, @Output(value = 24, loss = Loss.MSE) | **0.5000** | -50.0% |"), table);
    assertTrue(table.contains("| last value | 4.0000 | +300.0% |"), table);
  }
}
