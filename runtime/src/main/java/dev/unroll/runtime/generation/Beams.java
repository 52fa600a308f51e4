package dev.unroll.runtime.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@link Decoding#beam} returns: for every batch row, the best hypotheses found, best first.
 *
 * @param hypotheses per row, up to {@code width} hypotheses sorted by {@link Hypothesis#score()},
 *     highest first (ties: the one found first); unmodifiable
 */
public record Beams(List<List<Hypothesis>> hypotheses) {

  public Beams {
    Objects.requireNonNull(hypotheses, "hypotheses");
    List<List<Hypothesis>> copy = new ArrayList<>(hypotheses.size());
    for (List<Hypothesis> row : hypotheses) {
      copy.add(List.copyOf(row));
    }
    hypotheses = List.copyOf(copy);
  }

  /** Rows: the batch size. */
  public int rows() {
    return hypotheses.size();
  }

  /** Row {@code row}'s hypotheses, best first. */
  public List<Hypothesis> hypotheses(int row) {
    return hypotheses.get(row);
  }

  /**
   * Each row's best hypothesis, as a batch: tokens and raw log-probabilities.
   *
   * @throws IllegalStateException if a row has no hypothesis
   */
  public Decoded best() {
    int[][] tokens = new int[hypotheses.size()][];
    double[] logProbabilities = new double[hypotheses.size()];
    for (int r = 0; r < tokens.length; r++) {
      List<Hypothesis> row = hypotheses.get(r);
      if (row.isEmpty()) {
        throw new IllegalStateException("row " + r + " has no hypothesis");
      }
      tokens[r] = row.get(0).tokens();
      logProbabilities[r] = row.get(0).logProbability();
    }
    return new Decoded(tokens, logProbabilities);
  }

  /** Each row's best hypothesis as an int64 matrix {@code [rows, longest]} padded with {@code pad}. */
  public INDArray padded(long pad) {
    return best().padded(pad);
  }
}
