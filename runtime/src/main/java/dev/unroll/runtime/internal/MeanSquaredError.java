package dev.unroll.runtime.internal;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean squared error, as PyTorch's {@code F.mse_loss(predictions, targets, reduction='mean')} over
 * the counted elements, and its gradient with respect to the predictions:
 *
 * <pre>
 *   L = (1 / (N_counted · C)) Σ_counted rows Σ_j (ŷ[n, j] − y[n, j])²
 *   ∂L/∂ŷ[n, j] = 2 (ŷ[n, j] − y[n, j]) / (N_counted · C)   (0 on rows the mask leaves out)
 * </pre>
 *
 * <p>A row is counted unless the optional row mask holds 0 there (a padded step of a many-to-many
 * model). The computation is done in double precision, row by row through this thread's row
 * buffers: nothing of size N is allocated.
 */
public final class MeanSquaredError {

  private MeanSquaredError() {}

  /**
   * The mean squared error over the counted rows and its gradient.
   *
   * @param predictions {@code [N, C]} FLOAT or DOUBLE, row-major (may be a view)
   * @param targets {@code N·C} values, row-major: {@code targets[n·C + j]} is row n's target j
   * @param rowMask {@code [N, 1]} 1 for a counted row and 0 for a left-out one, or null: every row counts
   * @param gradOut {@code [N, C]} of the predictions' type, entirely overwritten with ∂L/∂predictions
   * @return the mean over the counted elements, or 0 when no row counts (the gradient is then 0)
   * @throws IllegalArgumentException if the shapes do not agree
   */
  public static double lossAndGradient(INDArray predictions, double[] targets, INDArray rowMask, INDArray gradOut) {
    Objects.requireNonNull(gradOut, "gradOut");
    check(predictions, targets, rowMask);
    if (!Arrays.equals(gradOut.shape(), predictions.shape()) || !rowWise(gradOut)) {
      throw new IllegalArgumentException("gradOut must be a FLOAT or DOUBLE matrix of the predictions' shape "
          + Arrays.toString(predictions.shape()) + " but is " + Arrays.toString(gradOut.shape()) + " "
          + gradOut.dataType());
    }
    return compute(predictions, targets, rowMask, gradOut);
  }

  /**
   * The mean squared error over the counted rows, without the gradient.
   *
   * @param predictions {@code [N, C]} FLOAT or DOUBLE, row-major (may be a view)
   * @param targets {@code N·C} values, row-major
   * @param rowMask {@code [N, 1]} 1 for a counted row, 0 for a left-out one, or null
   * @return the mean over the counted elements, or 0 when no row counts
   */
  public static double loss(INDArray predictions, double[] targets, INDArray rowMask) {
    check(predictions, targets, rowMask);
    return compute(predictions, targets, rowMask, null);
  }

  /**
   * The mean squared error of batch-first outputs, as a model's {@code forward} returns them:
   * {@code F.mse_loss(predictions[mask], targets[mask])}.
   *
   * @param predictions {@code [B, C]} (many-to-one) or {@code [B, T, C]} (many-to-many), floating point
   * @param targets the same shape, floating point
   * @param mask {@code [B, T]} 1 at valid steps and 0 at padding (many-to-many only), or null: every step counts
   * @return the mean over the counted elements, or 0 when none counts
   */
  public static double loss(INDArray predictions, INDArray targets, INDArray mask) {
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(targets, "targets");
    if (!Arrays.equals(predictions.shape(), targets.shape())) {
      throw new IllegalArgumentException("targets " + Arrays.toString(targets.shape())
          + " must have the predictions' shape " + Arrays.toString(predictions.shape()));
    }
    if (predictions.rank() != 2 && predictions.rank() != 3) {
      throw new IllegalArgumentException("predictions must be [B, C] or [B, T, C] but are "
          + Arrays.toString(predictions.shape()));
    }
    long c = predictions.size(predictions.rank() - 1);
    long rows = predictions.length() / Math.max(1, c);
    INDArray p = predictions.castTo(DataType.DOUBLE).dup('c').reshape('c', rows, c);
    double[] y = targets.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    INDArray rowMask = null;
    if (mask != null && predictions.rank() == 3) {
      if (mask.rank() != 2 || mask.size(0) != predictions.size(0) || mask.size(1) != predictions.size(1)) {
        throw new IllegalArgumentException("mask must be [" + predictions.size(0) + ", " + predictions.size(1)
            + "] but is " + Arrays.toString(mask.shape()));
      }
      rowMask = mask.castTo(DataType.DOUBLE).dup('c').reshape('c', rows, 1);
    }
    return loss(p, y, rowMask);
  }

  /**
   * The elements {@link #loss(INDArray, INDArray, INDArray)} averages over: {@code B·C} for
   * many-to-one predictions {@code [B, C]}; for many-to-many {@code [B, T, C]}, the mask's valid steps
   * times C (every step without a mask). The weight of a batch when losses of several are pooled.
   */
  public static long counted(INDArray predictions, INDArray mask) {
    long c = predictions.size(predictions.rank() - 1);
    if (predictions.rank() == 2) {
      return predictions.size(0) * c;
    }
    if (mask == null) {
      return predictions.size(0) * predictions.size(1) * c;
    }
    double[] m = mask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    long valid = 0;
    for (double v : m) {
      if (v != 0) {
        valid++;
      }
    }
    return valid * c;
  }

  private static void check(INDArray predictions, double[] targets, INDArray rowMask) {
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(targets, "targets");
    if (!rowWise(predictions)) {
      throw new IllegalArgumentException("predictions must be a row-major FLOAT or DOUBLE [N, C] matrix but are "
          + Arrays.toString(predictions.shape()) + " " + predictions.dataType());
    }
    long n = predictions.size(0);
    long c = predictions.size(1);
    if (targets.length != n * c) {
      throw new IllegalArgumentException("there are " + targets.length + " targets for " + n + " x " + c
          + " predictions");
    }
    if (rowMask != null && (!rowWise(rowMask) || rowMask.size(0) != n || rowMask.size(1) != 1)) {
      throw new IllegalArgumentException("rowMask must be a FLOAT or DOUBLE [" + n + ", 1] column but is "
          + Arrays.toString(rowMask.shape()) + " " + rowMask.dataType());
    }
  }

  private static double compute(INDArray predictions, double[] targets, INDArray rowMask, INDArray gradOut) {
    int n = (int) predictions.size(0);
    int c = (int) predictions.size(1);
    Block in = Block.slot(predictions, 0);
    Block out = gradOut == null ? null : Block.slot(gradOut, 1);
    Block m = rowMask == null ? null : Block.slot(rowMask, 2);
    double[] valid = new double[1];
    int counted = n;
    if (m != null) {
      counted = 0;
      for (int r = 0; r < n; r++) {
        m.read(r, valid);
        if (valid[0] != 0) {
          counted++;
        }
      }
    }
    double[] x = new double[c];
    if (counted == 0 || c == 0) {
      if (out != null) {
        for (int r = 0; r < n; r++) {
          out.write(r, x);
        }
      }
      return 0;
    }
    double inv = 1.0 / ((double) counted * c);
    double sum = 0;
    for (int r = 0; r < n; r++) {
      boolean counts = true;
      if (m != null) {
        m.read(r, valid);
        counts = valid[0] != 0;
      }
      if (!counts) {
        if (out != null) {
          Arrays.fill(x, 0);
          out.write(r, x);
        }
        continue;
      }
      in.read(r, x);
      int base = r * c;
      for (int j = 0; j < c; j++) {
        double d = x[j] - targets[base + j];
        sum += d * d;
        x[j] = 2 * d * inv;
      }
      if (out != null) {
        out.write(r, x);
      }
    }
    return sum * inv;
  }

  /** Whether {@code a} is a FLOAT or DOUBLE row-major matrix with unit column stride ({@link Block}'s kind). */
  private static boolean rowWise(INDArray a) {
    return a != null && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE) && a.rank() == 2
        && (a.size(1) == 1 || a.stride(1) == 1) && a.ordering() == 'c';
  }
}
