package dev.unroll.runtime;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax cross-entropy with mean reduction, as PyTorch's
 * {@code F.cross_entropy(logits, targets, reduction='mean', ignore_index=-100)}, and its gradient
 * with respect to the logits.
 *
 * <p>The computation is done in double precision on a Java copy of the logits (one bulk transfer
 * each way), stably: each row's log-sum-exp subtracts the row's maximum first, so that large logits
 * do not overflow.
 */
public final class CrossEntropy {

  /** The target value that marks a row as ignored, PyTorch's default {@code ignore_index}. */
  public static final long IGNORE = -100;

  private CrossEntropy() {}

  /**
   * The mean cross-entropy over the counted rows and its gradient.
   *
   * @param logits {@code [N, C]} floating-point scores (may be a view)
   * @param targets {@code N} class ids, each in {@code [0, C)} or {@code -100} to ignore the row
   * @param gradOut {@code [N, C]} floating-point array, entirely overwritten with d loss / d logits:
   *     {@code (softmax - onehot) / count} on counted rows, 0 on ignored rows
   * @return the mean of {@code -log softmax(logits)[n, targets[n]]} over the counted rows, or 0 when
   *     every row is ignored (the gradient is then all zeros)
   * @throws IllegalArgumentException if the shapes do not agree or a target is out of range
   */
  public static double lossAndGradient(INDArray logits, long[] targets, INDArray gradOut) {
    Objects.requireNonNull(gradOut, "gradOut");
    int[] nc = check(logits, targets);
    if (!Arrays.equals(gradOut.shape(), logits.shape())) {
      throw new IllegalArgumentException(
          "gradOut must have the shape of logits " + Arrays.toString(logits.shape()) + " but is "
              + Arrays.toString(gradOut.shape()));
    }
    if (!gradOut.dataType().isFPType()) {
      throw new IllegalArgumentException(
          "gradOut must be floating point but is " + gradOut.dataType());
    }
    return compute(logits, targets, nc[0], nc[1], gradOut);
  }

  /**
   * The mean cross-entropy over the counted rows, without the gradient.
   *
   * @param logits {@code [N, C]} floating-point scores (may be a view)
   * @param targets {@code N} class ids, each in {@code [0, C)} or {@code -100} to ignore the row
   * @return the mean loss, or 0 when every row is ignored
   * @throws IllegalArgumentException if the shapes do not agree or a target is out of range
   */
  public static double loss(INDArray logits, long[] targets) {
    int[] nc = check(logits, targets);
    return compute(logits, targets, nc[0], nc[1], null);
  }

  private static int[] check(INDArray logits, long[] targets) {
    Objects.requireNonNull(logits, "logits");
    Objects.requireNonNull(targets, "targets");
    if (logits.rank() != 2) {
      throw new IllegalArgumentException(
          "logits must be [N, classes] but is " + Arrays.toString(logits.shape()));
    }
    if (!logits.dataType().isFPType()) {
      throw new IllegalArgumentException(
          "logits must be floating point but is " + logits.dataType());
    }
    long n = logits.size(0);
    long c = logits.size(1);
    if (n * c > Integer.MAX_VALUE - 64L) {
      throw new IllegalArgumentException(
          "logits " + Arrays.toString(logits.shape()) + " are too large");
    }
    if (targets.length != n) {
      throw new IllegalArgumentException(
          "there are " + targets.length + " targets for " + n + " rows of logits");
    }
    for (int i = 0; i < targets.length; i++) {
      long t = targets[i];
      if (t != IGNORE && (t < 0 || t >= c)) {
        throw new IllegalArgumentException(
            "target " + i + " is " + t + ", not a class id in [0, " + c + ") or " + IGNORE);
      }
    }
    return new int[] {(int) n, (int) c};
  }

  private static double compute(INDArray logits, long[] targets, int n, int c, INDArray gradOut) {
    int count = 0;
    for (long t : targets) {
      if (t != IGNORE) {
        count++;
      }
    }
    if (count == 0 || c == 0) {
      if (gradOut != null) {
        gradOut.assign(0);
      }
      return 0;
    }
    double[] x = toDoubles(logits, (long) n * c);
    double[] g = gradOut == null ? null : new double[n * c];
    double inv = 1.0 / count;
    double sum = 0;
    for (int r = 0; r < n; r++) {
      long t = targets[r];
      if (t == IGNORE) {
        continue; // g stays 0 on this row
      }
      int base = r * c;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, x[base + j]);
      }
      double s = 0;
      for (int j = 0; j < c; j++) {
        double e = Math.exp(x[base + j] - max);
        if (g != null) {
          g[base + j] = e;
        }
        s += e;
      }
      double lse = max + Math.log(s);
      sum += lse - x[base + (int) t];
      if (g != null) {
        double scale = inv / s;
        for (int j = 0; j < c; j++) {
          g[base + j] *= scale;
        }
        g[base + (int) t] -= inv;
      }
    }
    if (gradOut != null) {
      if (gradOut.dataType() == DataType.FLOAT || gradOut.dataType() == DataType.DOUBLE) {
        Block.assign(gradOut, g);
      } else {
        gradOut.assign(Nd4j.create(g, new long[] {n, c}, gradOut.dataType()));
      }
    }
    return sum / count;
  }

  /** The array's values in C order, as doubles, in one bulk transfer. */
  private static double[] toDoubles(INDArray a, long length) {
    if ((a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE) && a.rank() == 2
        && (a.size(1) == 1 || a.stride(1) == 1) && a.ordering() == 'c') {
      return Block.toDoubles(a);
    }
    INDArray c = a.dup('c');
    double[] v = c.data().asDouble();
    if (c.offset() != 0 || v.length != length) {
      INDArray fresh = Nd4j.create(DataType.DOUBLE, a.shape(), 'c');
      fresh.assign(a);
      v = fresh.data().asDouble();
    }
    return v;
  }
}
