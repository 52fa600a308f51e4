package dev.unroll.examples.activity;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic sensor recordings of three activities, seeded and reproducible.
 *
 * <p>Every recording has 9 channels: an accelerometer (0 to 2), a gyroscope (3 to 5) and three
 * distractor channels (6 to 8). Its length (10 to 50 steps), base frequency, phase, amplitudes,
 * offsets and noise are drawn the same way for every class, so none of them tells the class. The class
 * is in the temporal relation between channels 0 and 1 (and, weaker, 3 and 4):
 * <ul>
 *   <li>{@code WALKING}: channel 1 lags channel 0 by a quarter period (the pair turns one way);
 *   <li>{@code CLIMBING}: channel 1 leads channel 0 by a quarter period (the pair turns the other way);
 *   <li>{@code CYCLING}: channel 1 runs at twice channel 0's frequency.
 * </ul>
 * A model must therefore follow the signals over several steps; no single step, no per-channel
 * statistic and no length identifies the activity.
 */
public final class ActivityData {

  /** The activities, by label. */
  public static final List<String> CLASSES = List.of("walking", "climbing", "cycling");

  /** Channels per step. */
  public static final int FEATURES = 9;

  /** The shortest and longest recording. */
  public static final int MIN_LENGTH = 10;

  /** The longest recording. */
  public static final int MAX_LENGTH = 50;

  private ActivityData() {}

  /**
   * A recording.
   *
   * @param steps {@code [length][9]} sensor values
   * @param label 0, 1 or 2 (see {@link #CLASSES})
   */
  public record Recording(double[][] steps, int label) {
    /** The number of steps. */
    public int length() {
      return steps.length;
    }
  }

  /**
   * {@code n} recordings from {@code seed}: labels cycle 0, 1, 2 (so the classes are balanced to
   * within one) in a seeded random order, every other value drawn independently of the label.
   */
  public static List<Recording> generate(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % CLASSES.size();
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
    List<Recording> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(recording(labels[i], random.split()));
    }
    return out;
  }

  /** One recording of activity {@code label}; the random values are drawn alike for every label. */
  static Recording recording(int label, SplittableRandom r) {
    int length = MIN_LENGTH + r.nextInt(MAX_LENGTH - MIN_LENGTH + 1);
    double omega = 0.35 + 0.5 * r.nextDouble(); // radians per step: a period of 7.4 to 18 steps
    double phase = 2 * Math.PI * r.nextDouble();
    double accel = 0.7 + 0.6 * r.nextDouble();
    double gyro = 0.3 + 0.4 * r.nextDouble();
    double noise = 0.15 + 0.15 * r.nextDouble();
    double gravity = r.nextDouble() * 2 - 1;
    double drift = (r.nextDouble() * 2 - 1) * 0.02;
    double distractorOmega = 0.2 + 0.8 * r.nextDouble();
    double distractorPhase = 2 * Math.PI * r.nextDouble();
    double[][] x = new double[length][FEATURES];
    for (int t = 0; t < length; t++) {
      double theta = omega * t + phase;
      double partner = switch (label) {
        case 0 -> Math.sin(theta - Math.PI / 2);
        case 1 -> Math.sin(theta + Math.PI / 2);
        default -> Math.sin(2 * theta);
      };
      double[] v = x[t];
      v[0] = accel * Math.sin(theta);
      v[1] = accel * partner;
      v[2] = gravity + 0.3 * accel * Math.sin(theta + 1.0);
      v[3] = gyro * Math.sin(theta + Math.PI / 4);
      v[4] = gyro * (label == 2 ? Math.sin(2 * theta + Math.PI / 4)
          : Math.sin(theta + Math.PI / 4 + (label == 0 ? -Math.PI / 2 : Math.PI / 2)));
      v[5] = 0.5 * gyro * Math.cos(theta);
      v[6] = 0.8 * Math.sin(distractorOmega * t + distractorPhase);
      v[7] = drift * t;
      v[8] = 0;
      for (int f = 0; f < FEATURES; f++) {
        v[f] += noise * r.nextGaussian();
      }
    }
    return new Recording(x, label);
  }

  /** How many recordings of each class. */
  public static int[] counts(List<Recording> recordings) {
    int[] c = new int[CLASSES.size()];
    for (Recording rec : recordings) {
      c[rec.label()]++;
    }
    return c;
  }
}
