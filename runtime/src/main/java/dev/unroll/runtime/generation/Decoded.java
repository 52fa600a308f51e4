package dev.unroll.runtime.generation;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sequences decoded for a batch, one per row: what {@link Decoding#greedy} and
 * {@link Decoding#sample} return, and {@link Beams#best()}.
 *
 * @param tokens per row, the token ids written, without START, up to and including END; a row that
 *     reached {@link SequenceGenerator#maxSteps()} tokens without END has no END (jagged; the arrays
 *     are not copied)
 * @param logProbabilities per row, the model's log-probability of its tokens: the sum over steps of
 *     the log-softmax of the logits at the written token (temperature 1, whole vocabulary, also for
 *     sampled rows)
 */
public record Decoded(int[][] tokens, double[] logProbabilities) {

  public Decoded {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(logProbabilities, "logProbabilities");
    if (tokens.length != logProbabilities.length) {
      throw new IllegalArgumentException("tokens has " + tokens.length + " rows but logProbabilities has "
          + logProbabilities.length);
    }
    for (int r = 0; r < tokens.length; r++) {
      Objects.requireNonNull(tokens[r], "tokens row " + r);
    }
  }

  /** Rows: the batch size. */
  public int rows() {
    return tokens.length;
  }

  /** The longest row's length: the width of {@link #padded}. */
  public int length() {
    int longest = 0;
    for (int[] row : tokens) {
      longest = Math.max(longest, row.length);
    }
    return longest;
  }

  /**
   * The tokens as an int64 matrix {@code [rows, length()]}, each row filled with {@code pad} after its
   * last token.
   */
  public INDArray padded(long pad) {
    int width = length();
    if (tokens.length == 0 || width == 0) {
      return Nd4j.valueArrayOf(new long[] {tokens.length, width}, pad, DataType.INT64);
    }
    long[][] out = new long[tokens.length][width];
    for (int r = 0; r < tokens.length; r++) {
      int[] row = tokens[r];
      for (int t = 0; t < row.length; t++) {
        out[r][t] = row[t];
      }
      Arrays.fill(out[r], row.length, width, pad);
    }
    return Nd4j.createFromArray(out);
  }

  /** Equal tokens (element by element) and log-probabilities. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Decoded d
        && Arrays.deepEquals(tokens, d.tokens)
        && Arrays.equals(logProbabilities, d.logProbabilities);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.deepHashCode(tokens) + Arrays.hashCode(logProbabilities);
  }

  @Override
  public String toString() {
    return "Decoded[tokens=" + Arrays.deepToString(tokens) + ", logProbabilities="
        + Arrays.toString(logProbabilities) + "]";
  }
}
