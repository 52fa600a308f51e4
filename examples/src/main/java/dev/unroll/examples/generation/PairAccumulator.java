package dev.unroll.examples.generation;

import java.util.List;

/** Something that scores decoded sequences against references one pair at a time (BLEU, exact match). */
public interface PairAccumulator {

  /** Adds one reference and the model's hypothesis for it. */
  void add(int[] reference, int[] hypothesis);

  /** Adds every pair of {@code references} and {@code hypotheses} (same sizes). */
  default void addAll(List<int[]> references, List<int[]> hypotheses) {
    if (references.size() != hypotheses.size()) {
      throw new IllegalArgumentException(
          references.size() + " references but " + hypotheses.size() + " hypotheses");
    }
    for (int i = 0; i < references.size(); i++) {
      add(references.get(i), hypotheses.get(i));
    }
  }
}
