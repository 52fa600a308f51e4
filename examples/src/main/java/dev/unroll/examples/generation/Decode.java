package dev.unroll.examples.generation;

import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.generation.Decoding;
import dev.unroll.runtime.generation.SequenceGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime's {@link Decoding} loops, returning each row's tokens as a reference would be written:
 * without START and without END (what {@link SequenceMetrics} and {@link Bleu} compare).
 */
public final class Decode {

  private Decode() {}

  /** Greedy decoding of every row of {@code state}. */
  public static <S extends RecurrentState> List<int[]> greedy(SequenceGenerator<S> model, S state) {
    return stripped(Decoding.greedy(model, state).tokens());
  }

  /** Beam search of width {@code width} and length penalty {@code alpha}: each row's best hypothesis. */
  public static <S extends RecurrentState> List<int[]> beam(SequenceGenerator<S> model, S state, int width,
      double alpha) {
    return stripped(Decoding.beam(model, state, width, alpha).best().tokens());
  }

  private static List<int[]> stripped(int[][] rows) {
    List<int[]> out = new ArrayList<>(rows.length);
    for (int[] row : rows) {
      out.add(WordVocabulary.strip(row));
    }
    return out;
  }
}
