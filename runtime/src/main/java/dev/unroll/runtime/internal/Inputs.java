package dev.unroll.runtime.internal;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run-time checks of what a caller passes to a generated model, with messages that name what was
 * expected and what was given. Every check throws {@link IllegalArgumentException}.
 *
 * <p>Checks that look at values (token ids, masks, targets) copy the array to the Java heap in one
 * bulk transfer; real-valued inputs (features, conditions) are read a row at a time and must be
 * finite.
 */
public final class Inputs {

  private static final long IGNORE = CrossEntropy.IGNORE;

  private Inputs() {}

  /**
   * Checks real-valued input: {@code x} must be floating point {@code [batch, time, features]} with
   * batch and time at least 1.
   *
   * @param x the input
   * @param features the features per step the model reads
   * @throws IllegalArgumentException otherwise
   */
  public static void features(INDArray x, int features) {
    String expected = "x must be [batch, time, " + features + "] float";
    if (x == null) {
      throw new IllegalArgumentException(expected + " but is null");
    }
    String actual = " but is " + describe(x);
    if (x.rank() != 3) {
      throw new IllegalArgumentException(
          expected + actual + ": a batch of sequences has 3 dimensions, batch first");
    }
    if (x.size(2) != features) {
      throw new IllegalArgumentException(
          expected + actual + ": the model reads " + features + " features per step");
    }
    if (!x.dataType().isFPType()) {
      throw new IllegalArgumentException(
          expected + actual + ": convert it with x.castTo(DataType.FLOAT) or DOUBLE");
    }
    if (x.size(0) < 1 || x.size(1) < 1) {
      throw new IllegalArgumentException(
          expected + actual + ": batch and time must be at least 1");
    }
    long bad = NonFinite.first(x);
    if (bad >= 0) {
      long[] at = {bad / (x.size(1) * features), bad / features % x.size(1), bad % features};
      throw new IllegalArgumentException("x[" + at[0] + ", " + at[1] + ", " + at[2] + "] is "
          + x.getDouble(at) + ": features must be finite numbers, padded steps included (one NaN or"
          + " infinity makes every gradient NaN); replace it, e.g. with 0 at a padded step");
    }
  }

  /**
   * Checks token input: {@code x} must be integer {@code [batch, time]} (batch and time at least 1)
   * and every id in {@code [0, vocab)}.
   *
   * @param x the token ids
   * @param vocab the embedding's vocabulary size
   * @throws IllegalArgumentException otherwise, naming the first bad id and its position
   */
  public static void tokens(INDArray x, int vocab) {
    tokens("x", x, vocab);
  }

  /**
   * As {@link #tokens(INDArray, int)}, for the argument {@code name} ({@code src}, {@code tgtIn}).
   */
  public static void tokens(String name, INDArray x, int vocab) {
    String expected = name + " must be [batch, time] integer token ids";
    if (x == null) {
      throw new IllegalArgumentException(expected + " but is null");
    }
    String actual = " but is " + describe(x);
    if (x.rank() != 2) {
      throw new IllegalArgumentException(
          expected + actual + ": a model with an embedding reads one token id per step");
    }
    if (!x.dataType().isIntType()) {
      throw new IllegalArgumentException(
          expected + actual + ": convert it with x.castTo(DataType.INT64)");
    }
    if (x.size(0) < 1 || x.size(1) < 1) {
      throw new IllegalArgumentException(
          expected + actual + ": batch and time must be at least 1");
    }
    long[] ids = toLongs(x);
    long steps = x.size(1);
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocab) {
        throw new IllegalArgumentException(
            "token id " + ids[i] + " at " + name + "[" + i / steps + ", " + i % steps
                + "] is outside the vocabulary: ids must be in [0, " + vocab + ")");
      }
    }
  }

  /**
   * Checks the sequence length of a model compiled for a fixed number of steps: dimension 1 of
   * {@code x} must equal {@code steps}.
   *
   * @param x the input, batch first
   * @param steps the {@code steps} of the model's {@code @Unroll}
   * @throws IllegalArgumentException otherwise
   */
  public static void steps(INDArray x, int steps) {
    String expected =
        "this model was compiled with @Unroll(steps = " + steps
            + ") and reads sequences of exactly " + steps + " steps";
    if (x == null) {
      throw new IllegalArgumentException(expected + ", but x is null");
    }
    if (x.rank() < 2) {
      throw new IllegalArgumentException(
          expected + ", but x is " + describe(x) + ", which has no time dimension");
    }
    if (x.size(1) != steps) {
      throw new IllegalArgumentException(expected + ", but x has " + x.size(1));
    }
  }

  /**
   * Checks a padding mask and returns each row's length. The mask must be {@code [batch, steps]} of
   * any numeric type with values 0 and 1 only, and every row must be a prefix of ones followed by
   * zeros (sequences padded at the end) with at least one 1.
   *
   * @param mask the mask
   * @param batch the batch size of the input
   * @param steps the time steps of the input
   * @return the number of valid steps of each row
   * @throws IllegalArgumentException otherwise
   */
  public static int[] mask(INDArray mask, long batch, long steps) {
    String expected = "mask must be [" + batch + ", " + steps + "] (batch, steps) of 0 and 1";
    if (mask == null) {
      throw new IllegalArgumentException(expected + " but is null");
    }
    if (mask.rank() != 2 || mask.size(0) != batch || mask.size(1) != steps) {
      throw new IllegalArgumentException(expected + " but is " + describe(mask));
    }
    if (!mask.dataType().isNumerical() && mask.dataType() != DataType.BOOL) {
      throw new IllegalArgumentException(expected + " but is " + describe(mask));
    }
    double[] m = toDoubles(mask);
    int[] lengths = new int[(int) batch];
    for (int b = 0; b < batch; b++) {
      int length = 0;
      int firstZero = -1;
      for (int t = 0; t < steps; t++) {
        double v = m[(int) (b * steps + t)];
        if (v == 1) {
          if (firstZero >= 0) {
            throw new IllegalArgumentException(
                "row " + b + " of the mask is not a prefix of ones: 1 at step " + t
                    + " after a 0 at step " + firstZero + "; pad sequences at the end");
          }
          length++;
        } else if (v == 0) {
          if (firstZero < 0) {
            firstZero = t;
          }
        } else {
          throw new IllegalArgumentException(
              "the mask must hold only 0 and 1, but mask[" + b + ", " + t + "] is " + v);
        }
      }
      if (length == 0) {
        throw new IllegalArgumentException(
            "row " + b + " of the mask has no valid step: every sequence needs at least one");
      }
      lengths[b] = length;
    }
    return lengths;
  }

  /**
   * Checks many-to-one targets: {@code y} must be integer {@code [batch]}, each value a class id in
   * {@code [0, classes)} or -100 (ignored).
   *
   * @param y the targets
   * @param batch the batch size of the input
   * @param classes the model's output classes
   * @return the targets
   * @throws IllegalArgumentException otherwise
   */
  public static long[] classTargets(INDArray y, long batch, int classes) {
    String expected = "y must be [" + batch + "] integer class ids (one per sequence)";
    if (y == null) {
      throw new IllegalArgumentException(expected + " but is null");
    }
    if (y.rank() != 1 || y.size(0) != batch || !y.dataType().isIntType()) {
      throw new IllegalArgumentException(expected + " but is " + describe(y));
    }
    long[] ids = toLongs(y);
    for (int i = 0; i < ids.length; i++) {
      checkClass(ids[i], "y[" + i + "]", classes);
    }
    return ids;
  }

  /**
   * Checks many-to-many targets: {@code y} must be integer {@code [batch, steps]}, each value a
   * class id in {@code [0, classes)} or -100 (ignored), and returns them time-major.
   *
   * @param y the targets, batch first
   * @param batch the batch size of the input
   * @param steps the time steps of the input
   * @param classes the model's output classes
   * @return the targets in time-major order: {@code result[t * batch + b] = y[b, t]}
   * @throws IllegalArgumentException otherwise
   */
  public static long[] stepTargetsTimeMajor(INDArray y, long batch, long steps, int classes) {
    String expected =
        "y must be [" + batch + ", " + steps + "] integer class ids (one per step, -100 to ignore)";
    if (y == null) {
      throw new IllegalArgumentException(expected + " but is null");
    }
    if (y.rank() != 2
        || y.size(0) != batch
        || y.size(1) != steps
        || !y.dataType().isIntType()) {
      throw new IllegalArgumentException(expected + " but is " + describe(y));
    }
    long[] ids = toLongs(y);
    long[] out = new long[ids.length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        long v = ids[(int) (b * steps + t)];
        checkClass(v, "y[" + b + ", " + t + "]", classes);
        out[(int) (t * batch + b)] = v;
      }
    }
    return out;
  }

  /**
   * Checks many-to-one regression targets: {@code y} must be floating point {@code [batch, outputs]}.
   *
   * @param y the targets
   * @param batch the batch size of the input
   * @param outputs the values the model predicts per sequence
   * @return the targets, row-major: {@code result[b * outputs + j] = y[b, j]}
   * @throws IllegalArgumentException otherwise
   */
  public static double[] valueTargets(INDArray y, long batch, int outputs) {
    String expected = "y must be [" + batch + ", " + outputs + "] floating-point targets (one row per sequence)";
    if (y == null) {
      throw new IllegalArgumentException(expected + " but is null");
    }
    if (y.rank() != 2 || y.size(0) != batch || y.size(1) != outputs || !y.dataType().isFPType()) {
      throw new IllegalArgumentException(expected + " but is " + describe(y));
    }
    return toDoubles(y);
  }

  /**
   * Checks many-to-many regression targets: {@code y} must be floating point
   * {@code [batch, steps, outputs]} (values at padded steps are never read into the loss: the mask
   * leaves them out), and returns them time-major.
   *
   * @param y the targets, batch first
   * @param batch the batch size of the input
   * @param steps the time steps of the input
   * @param outputs the values the model predicts per step
   * @return the targets time-major: {@code result[(t * batch + b) * outputs + j] = y[b, t, j]}
   * @throws IllegalArgumentException otherwise
   */
  public static double[] stepValuesTimeMajor(INDArray y, long batch, long steps, int outputs) {
    String expected = "y must be [" + batch + ", " + steps + ", " + outputs
        + "] floating-point targets (one row per step; the mask leaves out padded steps)";
    if (y == null) {
      throw new IllegalArgumentException(expected + " but is null");
    }
    if (y.rank() != 3 || y.size(0) != batch || y.size(1) != steps || y.size(2) != outputs
        || !y.dataType().isFPType()) {
      throw new IllegalArgumentException(expected + " but is " + describe(y));
    }
    double[] v = toDoubles(y);
    double[] out = new double[v.length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(v, (int) ((b * steps + t) * outputs), out, (int) ((t * batch + b) * outputs), outputs);
      }
    }
    return out;
  }

  private static void checkClass(long v, String where, int classes) {
    if (v != IGNORE && (v < 0 || v >= classes)) {
      throw new IllegalArgumentException(
          where + " is " + v + ", which is not a class id: the model has " + classes
              + " classes (0 to " + (classes - 1) + "), and -100 ignores a target");
    }
  }

  /**
   * Checks a condition vector batch: {@code v} must be floating point {@code [batch, size]} with as
   * many rows as the token input.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static void condition(INDArray v, int size) {
    String expected = "condition must be [batch, " + size + "] float";
    if (v == null) {
      throw new IllegalArgumentException(expected + " but is null");
    }
    String actual = " but is " + describe(v);
    if (v.rank() != 2 || v.size(1) != size) {
      throw new IllegalArgumentException(expected + actual + ": the model reads " + size
          + " values per row (@Condition(" + size + "))");
    }
    if (!v.dataType().isFPType()) {
      throw new IllegalArgumentException(expected + actual + ": convert it with v.castTo(DataType.FLOAT) or DOUBLE");
    }
    if (v.size(0) < 1) {
      throw new IllegalArgumentException(expected + actual + ": batch must be at least 1");
    }
    long bad = NonFinite.first(v);
    if (bad >= 0) {
      long[] at = {bad / size, bad % size};
      throw new IllegalArgumentException("condition[" + at[0] + ", " + at[1] + "] is " + v.getDouble(at)
          + ": a condition must hold finite numbers (one NaN or infinity makes every gradient NaN)");
    }
  }

  /**
   * Checks that two arguments describe the same batch (a null argument is left to its own check).
   *
   * @throws IllegalArgumentException naming both sizes otherwise
   */
  public static void sameBatch(String name, INDArray a, String otherName, INDArray other) {
    if (a == null || other == null) {
      return;  // each argument's own check names a missing array
    }
    if (a.size(0) != other.size(0)) {
      throw new IllegalArgumentException(name + " has " + a.size(0) + " rows but " + otherName + " has "
          + other.size(0) + "; both describe the same batch, row by row");
    }
  }

  /**
   * Checks one decoding step's tokens, an integer vector {@code [batch]} (or {@code [batch, 1]}), and
   * returns them as ids.
   *
   * @throws IllegalArgumentException otherwise, naming the first bad id
   */
  public static int[] tokenVector(INDArray tokens, int vocab) {
    String expected = "tokens must be [batch] integer token ids";
    if (tokens == null) {
      throw new IllegalArgumentException(expected + " but is null");
    }
    if (!(tokens.rank() == 1 || tokens.rank() == 2 && tokens.size(1) == 1) || tokens.length() < 1
        || !tokens.dataType().isIntType()) {
      throw new IllegalArgumentException(expected + " but is " + describe(tokens)
          + (tokens.dataType().isIntType() ? "" : ": convert it with tokens.castTo(DataType.INT64)"));
    }
    long[] ids = toLongs(tokens);
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      // checked as long: a cast first would wrap an id such as 2^32 + 3 into the vocabulary
      if (ids[i] < 0 || ids[i] >= vocab) {
        throw new IllegalArgumentException("token id " + ids[i] + " of row " + i
            + " is outside the vocabulary: ids must be in [0, " + vocab + ")");
      }
      out[i] = (int) ids[i];
    }
    return out;
  }

  /**
   * Checks one decoding step's tokens: {@code rows} ids in {@code [0, vocab)}.
   *
   * @throws IllegalArgumentException otherwise, naming the first bad id
   */
  public static void tokenArray(int[] tokens, int rows, int vocab) {
    if (tokens == null || tokens.length != rows) {
      throw new IllegalArgumentException("tokens must hold one id per row, " + rows + ", but "
          + (tokens == null ? "is null" : "holds " + tokens.length));
    }
    for (int r = 0; r < rows; r++) {
      if (tokens[r] < 0 || tokens[r] >= vocab) {
        throw new IllegalArgumentException("token id " + tokens[r] + " of row " + r
            + " is outside the vocabulary: ids must be in [0, " + vocab + ")");
      }
    }
  }

  /**
   * Checks one array of an initial recurrent state: it must be {@code [batch, hidden]}.
   *
   * @param name the state field, e.g. {@code h1}
   * @throws IllegalArgumentException otherwise
   */
  public static void state(String name, INDArray a, long batch, int hidden) {
    if (a == null) {
      throw new IllegalArgumentException("state " + name + " is null; use initialState(batch) for a zero state");
    }
    if (a.rank() != 2 || a.size(0) != batch || a.size(1) != hidden) {
      throw new IllegalArgumentException("state " + name + " must be [" + batch + ", " + hidden
          + "] (batch of x, HIDDEN) but is " + describe(a));
    }
  }

  /**
   * Checks the truncation length of truncated BPTT.
   *
   * @throws IllegalArgumentException if {@code backSteps < 1}
   */
  public static void backSteps(int backSteps) {
    if (backSteps < 1) {
      throw new IllegalArgumentException("backSteps (k2 of truncated BPTT) must be at least 1 but is " + backSteps
          + "; pass the chunk length for full backpropagation through the chunk");
    }
  }

  /** The shape and data type, e.g. {@code [4, 7, 5] FLOAT}. */
  private static String describe(INDArray a) {
    return Arrays.toString(a.shape()) + " " + a.dataType();
  }

  private static long[] toLongs(INDArray a) {
    INDArray c = a.dataType() == DataType.INT64 ? a.dup('c') : a.castTo(DataType.INT64).dup('c');
    long[] v = c.data().asLong();
    if (c.offset() != 0 || v.length != a.length()) {
      INDArray fresh = Nd4j.create(DataType.INT64, a.shape(), 'c');
      fresh.assign(a);
      v = fresh.data().asLong();
    }
    return v;
  }

  private static double[] toDoubles(INDArray a) {
    INDArray c = a.dataType() == DataType.DOUBLE ? a.dup('c') : a.castTo(DataType.DOUBLE).dup('c');
    double[] v = c.data().asDouble();
    if (c.offset() != 0 || v.length != a.length()) {
      INDArray fresh = Nd4j.create(DataType.DOUBLE, a.shape(), 'c');
      fresh.assign(a);
      v = fresh.data().asDouble();
    }
    return v;
  }
}
