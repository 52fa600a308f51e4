package dev.unroll.training.data;

import dev.unroll.runtime.internal.CrossEntropy;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pads variable-length sequences at the end into the batch-first arrays generated models read: inputs
 * {@code [B, T]} (token ids) or {@code [B, T, F]} (features), a {@code [B, T]} mask with a prefix of
 * ones per row, and per-step targets with -100 (ignored) at padded steps. {@code T} is the longest
 * sequence's length. Every sequence needs at least one step.
 */
public final class Padding {

  private Padding() {}

  /** Each sequence's length. */
  public static int[] lengths(List<int[]> sequences) {
    int[] out = new int[sequences.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = sequences.get(i).length;
    }
    return check(out);
  }

  /** Each feature sequence's length (its number of steps). */
  public static int[] featureLengths(List<double[][]> sequences) {
    int[] out = new int[sequences.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = sequences.get(i).length;
    }
    return check(out);
  }

  /** Token ids padded with 0: int64 {@code [B, T]}. */
  public static INDArray tokens(List<int[]> sequences) {
    return pad(sequences, 0);
  }

  /** Per-step targets padded with -100: int64 {@code [B, T]}. */
  public static INDArray targets(List<int[]> sequences) {
    return pad(sequences, CrossEntropy.IGNORE);
  }

  /** Per-sequence labels: int64 {@code [B]}. */
  public static INDArray labels(int[] labels) {
    long[] v = new long[labels.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = labels[i];
    }
    return Nd4j.create(v, new long[] {v.length}, DataType.INT64);
  }

  /**
   * Feature sequences padded with zeros: {@code [B, T, F]} of {@code type}.
   *
   * @param sequences each {@code [steps][F]}, all with the same F
   */
  public static INDArray features(List<double[][]> sequences, DataType type) {
    int[] lengths = featureLengths(sequences);
    int t = max(lengths);
    int f = sequences.get(0)[0].length;
    double[] v = new double[sequences.size() * t * f];
    for (int b = 0; b < sequences.size(); b++) {
      double[][] s = sequences.get(b);
      for (int i = 0; i < s.length; i++) {
        if (s[i].length != f) {
          throw new IllegalArgumentException(
              "sequence " + b + " step " + i + " has " + s[i].length + " features, sequence 0 has "
                  + f);
        }
        System.arraycopy(s[i], 0, v, (b * t + i) * f, f);
      }
    }
    return Nd4j.create(v, new long[] {sequences.size(), t, f}, type);
  }

  /**
   * Per-sequence float targets (regression, many-to-one): {@code [B, n]} of {@code type}.
   *
   * @param values each of length n, all the same
   */
  public static INDArray values(List<double[]> values, DataType type) {
    int n = values.get(0).length;
    double[] v = new double[values.size() * n];
    for (int b = 0; b < values.size(); b++) {
      if (values.get(b).length != n) {
        throw new IllegalArgumentException(
            "target " + b + " has " + values.get(b).length + " values, target 0 has " + n);
      }
      System.arraycopy(values.get(b), 0, v, b * n, n);
    }
    return Nd4j.create(v, new long[] {values.size(), n}, type);
  }

  /** The mask of sequences of these lengths: {@code [B, max length]} of {@code type}, 1 then 0. */
  public static INDArray mask(int[] lengths, DataType type) {
    check(lengths);
    int t = max(lengths);
    double[] v = new double[lengths.length * t];
    for (int b = 0; b < lengths.length; b++) {
      for (int i = 0; i < lengths[b]; i++) {
        v[b * t + i] = 1;
      }
    }
    return Nd4j.create(v, new long[] {lengths.length, t}, type);
  }

  private static INDArray pad(List<int[]> sequences, long fill) {
    Objects.requireNonNull(sequences, "sequences");
    int[] lengths = lengths(sequences);
    int t = max(lengths);
    long[] v = new long[sequences.size() * t];
    Arrays.fill(v, fill);
    for (int b = 0; b < sequences.size(); b++) {
      int[] s = sequences.get(b);
      for (int i = 0; i < s.length; i++) {
        v[b * t + i] = s[i];
      }
    }
    return Nd4j.create(v, new long[] {sequences.size(), t}, DataType.INT64);
  }

  private static int[] check(int[] lengths) {
    if (lengths.length == 0) {
      throw new IllegalArgumentException("cannot pad an empty list of sequences");
    }
    for (int i = 0; i < lengths.length; i++) {
      if (lengths[i] < 1) {
        throw new IllegalArgumentException(
            "sequence " + i + " is empty: every sequence needs at least one step");
      }
    }
    return lengths;
  }

  private static int max(int[] a) {
    int m = 0;
    for (int v : a) {
      m = Math.max(m, v);
    }
    return m;
  }
}
