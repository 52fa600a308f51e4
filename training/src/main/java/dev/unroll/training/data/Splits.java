package dev.unroll.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/** Train/validation splits and seeded shuffles. */
public final class Splits {

  private Splits() {}

  /**
   * The tokens before the last {@code validationFraction} for training and the tail for validation;
   * each part keeps at least 2 tokens (one input and its target) when the stream has 4 or more.
   *
   * @param validationFraction in [0, 1); 0 gives an empty validation part
   */
  public static Split<int[]> tail(int[] tokens, double validationFraction) {
    Objects.requireNonNull(tokens, "tokens");
    checkFraction(validationFraction);
    int n = tokens.length;
    int val = (int) Math.round(n * validationFraction);
    if (validationFraction > 0 && n >= 4) {
      val = Math.max(2, Math.min(n - 2, val));
    }
    return new Split<>(Arrays.copyOfRange(tokens, 0, n - val), Arrays.copyOfRange(tokens, n - val, n));
  }

  /**
   * A seeded random split of {@code n} example indices: {@code round(n * validationFraction)} of them
   * (at least one when the fraction is above 0 and n is at least 2) for validation, each part in
   * ascending order.
   */
  public static Split<int[]> randomIndices(int n, double validationFraction, long seed) {
    checkFraction(validationFraction);
    if (n < 0) {
      throw new IllegalArgumentException("n must be at least 0, but is " + n);
    }
    int val = (int) Math.round(n * validationFraction);
    if (validationFraction > 0 && n >= 2) {
      val = Math.max(1, Math.min(n - 1, val));
    }
    int[] perm = permutation(n, new SplittableRandom(seed));
    int[] validation = Arrays.copyOfRange(perm, 0, val);
    int[] train = Arrays.copyOfRange(perm, val, n);
    Arrays.sort(validation);
    Arrays.sort(train);
    return new Split<>(train, validation);
  }

  /** A seeded random split of a list, as {@link #randomIndices} picks it. */
  public static <T> Split<List<T>> random(List<T> items, double validationFraction, long seed) {
    Split<int[]> idx = randomIndices(items.size(), validationFraction, seed);
    return new Split<>(select(items, idx.train()), select(items, idx.validation()));
  }

  /** The items at {@code indices}, in that order. */
  public static <T> List<T> select(List<T> items, int[] indices) {
    List<T> out = new ArrayList<>(indices.length);
    for (int i : indices) {
      out.add(items.get(i));
    }
    return out;
  }

  /** The elements of {@code values} at {@code indices}, in that order. */
  public static int[] select(int[] values, int[] indices) {
    int[] out = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      out[i] = values[indices[i]];
    }
    return out;
  }

  /** A uniformly random permutation of 0 to n − 1 (Fisher–Yates) drawn from {@code random}. */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A copy of {@code items} shuffled with {@code seed}. */
  public static <T> List<T> shuffled(List<T> items, long seed) {
    return select(items, permutation(items.size(), new SplittableRandom(seed)));
  }

  private static void checkFraction(double f) {
    if (!(f >= 0 && f < 1)) {
      throw new IllegalArgumentException("the validation fraction must be in [0, 1), but is " + f);
    }
  }
}
