package dev.unroll.examples.generation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU (Papineni et al., 2002) with one reference per hypothesis: for n = 1 to {@code maxOrder}
 * the modified precision {@code p_n} is the number of the hypotheses' n-grams that also occur in their
 * references (each n-gram counted at most as often as it occurs in its reference: clipping), summed
 * over the corpus, divided by the number of the hypotheses' n-grams; BLEU is the brevity penalty times
 * the geometric mean of {@code p_1 .. p_N} with uniform weights:
 *
 * <pre>
 * BLEU = BP · exp(Σ_n (1/N) · log p_n),   BP = 1 if c > r, else exp(1 - r / c)
 * </pre>
 *
 * with {@code c} the hypotheses' and {@code r} the references' total length. No smoothing: if any
 * {@code p_n} is 0 (or the corpus is empty) BLEU is 0, as in the paper and in sacreBLEU's and NLTK's
 * corpus BLEU without smoothing. Tokens are ids (or anything with an {@code int} id).
 */
public final class Bleu implements PairAccumulator {

  private final int maxOrder;
  private final long[] matches;
  private final long[] totals;
  private long hypothesisLength;
  private long referenceLength;

  /** BLEU-4. */
  public Bleu() {
    this(4);
  }

  /** BLEU up to n-grams of {@code maxOrder} tokens. */
  public Bleu(int maxOrder) {
    if (maxOrder < 1) {
      throw new IllegalArgumentException("maxOrder must be at least 1, but is " + maxOrder);
    }
    this.maxOrder = maxOrder;
    this.matches = new long[maxOrder];
    this.totals = new long[maxOrder];
  }

  /**
   * The score of a corpus, its n-gram precisions and lengths.
   *
   * @param bleu the score in [0, 1]
   * @param precisions {@code p_1 .. p_N}
   * @param brevityPenalty BP
   * @param hypothesisLength c
   * @param referenceLength r
   */
  public record Score(double bleu, double[] precisions, double brevityPenalty, long hypothesisLength,
      long referenceLength) {

    /** "BLEU-4 87.12 (p1..p4 95.0/90.1/85.2/80.3, BP 0.990, c/r 1234/1246)", in percent. */
    @Override
    public String toString() {
      StringBuilder p = new StringBuilder();
      for (int i = 0; i < precisions.length; i++) {
        p.append(i == 0 ? "" : "/").append(String.format(java.util.Locale.ROOT, "%.1f", 100 * precisions[i]));
      }
      return String.format(java.util.Locale.ROOT, "BLEU-%d %.2f (p1..p%d %s, BP %.3f, c/r %d/%d)",
          precisions.length, 100 * bleu, precisions.length, p, brevityPenalty, hypothesisLength,
          referenceLength);
    }
  }

  /** Corpus BLEU-4 of {@code hypotheses} against their {@code references} (same sizes). */
  public static Score corpus(List<int[]> references, List<int[]> hypotheses) {
    Bleu b = new Bleu();
    b.addAll(references, hypotheses);
    return b.score();
  }

  /** Adds one hypothesis and its reference. */
  @Override
  public void add(int[] reference, int[] hypothesis) {
    hypothesisLength += hypothesis.length;
    referenceLength += reference.length;
    for (int n = 1; n <= maxOrder; n++) {
      Map<Gram, Integer> ref = counts(reference, n);
      Map<Gram, Integer> hyp = counts(hypothesis, n);
      for (Map.Entry<Gram, Integer> e : hyp.entrySet()) {
        matches[n - 1] += Math.min(e.getValue(), ref.getOrDefault(e.getKey(), 0));
      }
      totals[n - 1] += Math.max(0, hypothesis.length - n + 1);
    }
  }

  /** The score of everything added so far. */
  public Score score() {
    double[] p = new double[maxOrder];
    double logSum = 0;
    boolean zero = false;
    for (int n = 0; n < maxOrder; n++) {
      p[n] = totals[n] == 0 ? 0 : matches[n] / (double) totals[n];
      if (p[n] == 0) {
        zero = true;
      } else {
        logSum += Math.log(p[n]);
      }
    }
    double bp;
    if (hypothesisLength == 0) {
      bp = 0;
    } else if (hypothesisLength > referenceLength) {
      bp = 1;
    } else {
      bp = Math.exp(1 - referenceLength / (double) hypothesisLength);
    }
    double bleu = zero || hypothesisLength == 0 ? 0 : bp * Math.exp(logSum / maxOrder);
    return new Score(bleu, p, bp, hypothesisLength, referenceLength);
  }

  private static Map<Gram, Integer> counts(int[] tokens, int n) {
    Map<Gram, Integer> out = new HashMap<>();
    for (int i = 0; i + n <= tokens.length; i++) {
      out.merge(new Gram(Arrays.copyOfRange(tokens, i, i + n)), 1, Integer::sum);
    }
    return out;
  }

  /** An n-gram with value equality. */
  private record Gram(int[] tokens) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Gram g && Arrays.equals(tokens, g.tokens);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
      return Arrays.toString(tokens);
    }
  }
}
