package dev.unroll.runtime.internal;

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
 * <p>The computation is done in double precision, row by row through a row buffer (bulk transfers,
 * no copy of the whole matrix: a tagger's N grows with the sequence length), stably: each row's
 * log-sum-exp subtracts the row's maximum first, so that large logits do not overflow.
 */
public final class CrossEntropy {

  /** The target value that marks a row as ignored, PyTorch's default {@code ignore_index}. */
  public static final long IGNORE = -100;

  /**
   * Below this, {@code Math.exp} returns exactly +0.0 (it underflows past the smallest subnormal,
   * {@code exp(-745.13...)}); the margin keeps every argument that might round to a subnormal.
   */
  static final double UNDERFLOW = -746.0;

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
    double inv = 1.0 / count;
    double sum = 0;
    if (rowWise(logits) && (gradOut == null || rowWise(gradOut))) {
      // row by row through one row buffer: no copy of the whole [N, C] (N grows with T for taggers)
      Block in = Block.slot(logits, 0);
      Block out = gradOut == null ? null : Block.slot(gradOut, 1);
      double[] x = new double[c];
      double[] g = gradOut == null ? null : new double[c];
      for (int r = 0; r < n; r++) {
        in.read(r, x);
        sum += row(x, 0, targets[r], g, 0, c, inv);
        if (out != null) {
          out.write(r, g);
        }
      }
      return sum / count;
    }
    double[] x = toDoubles(logits, (long) n * c);
    double[] g = gradOut == null ? null : new double[n * c];
    for (int r = 0; r < n; r++) {
      sum += row(x, r * c, targets[r], g, r * c, c, inv);
    }
    if (gradOut != null) {
      gradOut.assign(Nd4j.create(g, new long[] {n, c}, gradOut.dataType()));
    }
    return sum / count;
  }

  /**
   * One row's {@code logsumexp(x) - x[t]} (0 for an ignored row), and when {@code g} is given its
   * gradient {@code (softmax(x) - onehot(t)) · inv} (zeros for an ignored row), at {@code g[gBase ...]}.
   */
  private static double row(double[] x, int xBase, long t, double[] g, int gBase, int c, double inv) {
    if (t == IGNORE) {
      if (g != null) {
        Arrays.fill(g, gBase, gBase + c, 0);
      }
      return 0;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < c; j++) {
      max = Math.max(max, x[xBase + j]);
    }
    double s = 0;
    for (int j = 0; j < c; j++) {
      double d = x[xBase + j] - max;
      // exp(d) is exactly +0.0 below UNDERFLOW: adding it to s changes nothing, so the call is
      // skipped (a class switched off by a -1e4 bias costs no exp; the sums stay bit for bit)
      double e = d < UNDERFLOW ? 0.0 : Math.exp(d);
      if (g != null) {
        g[gBase + j] = e;
      }
      s += e;
    }
    if (g != null) {
      double scale = inv / s;
      for (int j = 0; j < c; j++) {
        g[gBase + j] *= scale;
      }
      g[gBase + (int) t] -= inv;
    }
    return max + Math.log(s) - x[xBase + (int) t];
  }

  /** Whether {@code a} is a FLOAT or DOUBLE row-major matrix with unit column stride ({@link Block}'s kind). */
  private static boolean rowWise(INDArray a) {
    return (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE) && a.rank() == 2
        && (a.size(1) == 1 || a.stride(1) == 1) && a.ordering() == 'c';
  }

  /** The array's values in C order, as doubles, in one bulk transfer. */
  private static double[] toDoubles(INDArray a, long length) {
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
