package dev.unroll.examples.generation;

import java.util.Arrays;

/**
 * Exact match and token accuracy of decoded sequences against references, both given as token ids
 * without START and without END.
 *
 * <p>Token accuracy compares position by position with END appended to both sides, over the longer of
 * the two: a missing, extra or wrong token is one error, and stopping too early or too late counts
 * too. {@code reference "3 1 2"} against {@code hypothesis "3 1"} is 2 of 4 (3, 1 right; END against
 * 2 and nothing against END wrong).
 */
public final class SequenceMetrics implements PairAccumulator {

  private long sequences;
  private long exact;
  private long tokens;
  private long correctTokens;

  /** Adds one decoded sequence and its reference. */
  @Override
  public void add(int[] reference, int[] hypothesis) {
    sequences++;
    if (Arrays.equals(reference, hypothesis)) {
      exact++;
    }
    int n = Math.max(reference.length, hypothesis.length) + 1;
    tokens += n;
    for (int i = 0; i < n; i++) {
      int r = i < reference.length ? reference[i] : i == reference.length ? WordVocabulary.END : -1;
      int h = i < hypothesis.length ? hypothesis[i] : i == hypothesis.length ? WordVocabulary.END : -2;
      if (r == h) {
        correctTokens++;
      }
    }
  }

  /** Sequences added. */
  public long sequences() {
    return sequences;
  }

  /** Sequences decoded exactly. */
  public long exact() {
    return exact;
  }

  /** The fraction of sequences decoded exactly (0 when none were added). */
  public double exactMatch() {
    return sequences == 0 ? 0 : exact / (double) sequences;
  }

  /** The fraction of positions decoded right, as defined above (0 when none were added). */
  public double tokenAccuracy() {
    return tokens == 0 ? 0 : correctTokens / (double) tokens;
  }
}
