package dev.unroll.runtime.generation;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sequence found by {@link Decoding#beam beam search}.
 *
 * @param tokens the token ids written, without START; the last is END unless the hypothesis was cut
 *     at {@link SequenceGenerator#maxSteps()} (the array is not copied)
 * @param logProbability the model's log-probability of the sequence: the sum of the log-softmax of
 *     the logits at each written token (temperature 1, no length penalty)
 * @param score what beam search ranks by: {@code logProbability / length^alpha}, see
 *     {@link Decoding#score}
 */
public record Hypothesis(int[] tokens, double logProbability, double score) {

  public Hypothesis {
    Objects.requireNonNull(tokens, "tokens");
  }

  /** Tokens written, END included. */
  public int length() {
    return tokens.length;
  }

  /** Whether the last token is {@code endToken} (false for a hypothesis cut at the step limit). */
  public boolean endsWith(int endToken) {
    return tokens.length > 0 && tokens[tokens.length - 1] == endToken;
  }

  /** Equal tokens (element by element), log-probability and score. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Hypothesis h
        && Arrays.equals(tokens, h.tokens)
        && Double.compare(logProbability, h.logProbability) == 0
        && Double.compare(score, h.score) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(tokens) + Double.hashCode(logProbability)) + Double.hashCode(score);
  }

  @Override
  public String toString() {
    return "Hypothesis[tokens=" + Arrays.toString(tokens) + ", logProbability=" + logProbability
        + ", score=" + score + "]";
  }
}
