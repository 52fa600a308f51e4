package dev.unroll.examples.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic hourly series with two seasons, a trend and noise, and the forecasting windows cut from
 * it. The value at hour {@code t} (day {@code d = t / 24}, hour of day {@code t mod 24}) is
 *
 * <pre>
 *   y_t = 10 + 0.002 t                                    trend
 *       + 2 sin(2π t / 24) + 0.8 sin(4π t / 24 + 1)       daily season
 *       − 1.6 [d mod 7 ∈ {5, 6}] · bump(t mod 24)         weekly season: quieter weekend days
 *       + ε_t,   ε_t = 0.6 ε_{t−1} + N(0, 0.3²)           noise, AR(1)
 * </pre>
 *
 * where {@code bump} rises over the day and falls in the evening. The seasonal-naive forecasts repeat
 * the value one day or one week earlier; they know both seasons exactly, but carry the noise of the
 * hour they copy and miss the trend.
 */
public final class SeriesData {
  /** Hours per day: the short season. */
  public static final int DAY = 24;
  /** Hours per week: the long season. */
  public static final int WEEK = 7 * DAY;
  /** Hours predicted at once: the model's {@code @Output}. */
  public static final int HORIZON = 24;
  /** Hours the model reads before each forecast. */
  public static final int WINDOW = 72;
  /** Features per input hour: the value, the hour of day and of week on the circle, and a week-ago value. */
  public static final int FEATURES = 6;

  private SeriesData() {}

  /** {@code hours} values of the series, from {@code seed}. */
  public static double[] series(int hours, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] y = new double[hours];
    double noise = 0;
    for (int t = 0; t < hours; t++) {
      double hod = t % DAY;
      int dow = (t / DAY) % 7;
      double daily = 2 * Math.sin(2 * Math.PI * hod / DAY) + 0.8 * Math.sin(4 * Math.PI * hod / DAY + 1);
      double bump = Math.max(0, Math.sin(Math.PI * (hod - 6) / 16));
      double weekly = dow >= 5 ? -1.6 * bump : 0;
      noise = 0.6 * noise + 0.3 * gaussian(r);
      y[t] = 10 + 0.002 * t + daily + weekly + noise;
    }
    return y;
  }

  private static double gaussian(SplittableRandom r) {
    // Box–Muller, one value per call: reproducible from the seed alone
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** The first hour a forecast can start after: its window must reach a week and a horizon back. */
  public static int firstOrigin() {
    return WEEK - HORIZON + WINDOW - 1;
  }

  /**
   * The level a forecast after hour {@code origin} is made relative to: the mean of the last day seen.
   * Inputs and targets are measured from it, so that a trend carrying the series past the values of
   * the training period does not carry the model's inputs out of their range.
   */
  public static double level(double[] z, int origin) {
    double sum = 0;
    for (int s = origin - DAY + 1; s <= origin; s++) {
      sum += z[s];
    }
    return sum / DAY;
  }

  /**
   * The input window before a forecast made after hour {@code origin}: {@value #WINDOW} hours
   * {@code [origin − WINDOW + 1, origin]}, each {@code [z_s − level, sin, cos of the hour of day, sin,
   * cos of the hour of week, z_{s + HORIZON − WEEK} − level]} — the last feature is the value one week
   * before the hour {@code HORIZON} later, so the window's last {@value #HORIZON} hours hold the
   * week-ago values of the hours to predict. {@code z} is the standardised series, {@code level} its
   * {@link #level}.
   */
  public static double[][] features(double[] z, int origin) {
    double level = level(z, origin);
    double[][] w = new double[WINDOW][FEATURES];
    for (int i = 0; i < WINDOW; i++) {
      int s = origin - WINDOW + 1 + i;
      double day = 2 * Math.PI * (s % DAY) / DAY;
      double week = 2 * Math.PI * (s % WEEK) / WEEK;
      w[i] = new double[] {z[s] - level, Math.sin(day), Math.cos(day), Math.sin(week), Math.cos(week),
          z[s + HORIZON - WEEK] - level};
    }
    return w;
  }

  /** The {@value #HORIZON} values after hour {@code origin}, from its {@link #level}. */
  public static double[] targets(double[] z, int origin) {
    double level = level(z, origin);
    double[] out = new double[HORIZON];
    for (int k = 0; k < HORIZON; k++) {
      out[k] = z[origin + 1 + k] - level;
    }
    return out;
  }

  /** Every origin whose forecast hours lie in {@code [from, to)}, {@code stride} hours apart. */
  public static List<Integer> origins(int from, int to, int stride) {
    List<Integer> out = new ArrayList<>();
    for (int o = Math.max(from - 1, firstOrigin()); o + HORIZON < to; o += stride) {
      out.add(o);
    }
    return out;
  }

  /** The naive forecasts of hours {@code origin + 1 ... origin + HORIZON}. */
  public enum Naive {
    /** Each hour as the same hour a day earlier. */
    SEASONAL_DAY("seasonal naive, a day back"),
    /** Each hour as the same hour a week earlier. */
    SEASONAL_WEEK("seasonal naive, a week back"),
    /** Every hour as the last one seen. */
    LAST("last value");

    final String words;

    Naive(String words) {
      this.words = words;
    }

    /** The forecast of {@code y} after {@code origin}. */
    double[] forecast(double[] y, int origin) {
      double[] out = new double[HORIZON];
      for (int k = 1; k <= HORIZON; k++) {
        out[k - 1] = switch (this) {
          case SEASONAL_DAY -> y[origin + k - DAY * ((k + DAY - 1) / DAY)];
          case SEASONAL_WEEK -> y[origin + k - WEEK];
          case LAST -> y[origin];
        };
      }
      return out;
    }
  }
}
