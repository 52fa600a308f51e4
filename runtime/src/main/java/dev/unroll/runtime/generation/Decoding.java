package dev.unroll.runtime.generation;

import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.internal.LogitsReader;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Batched decoding loops for generation models ({@link SequenceGenerator}): greedy, sampling and beam
 * search.
 *
 * <p>Every loop decodes all rows of {@code state} together in one {@link DecoderSession}. It feeds
 * {@link SequenceGenerator#startToken() START} to every row first (START is never returned), then each
 * row's own previous token. A row stops at its own {@link SequenceGenerator#endToken() END}, which it
 * returns as its last token, or after {@link SequenceGenerator#maxSteps()} tokens without END. The
 * loops never step more than {@code maxSteps()} times and stop stepping as soon as every row has
 * finished. A row that finishes leaves the session at once ({@link DecoderSession#select} keeps the
 * rows still decoding, in order, at the front): later steps cost only the rows still decoding, so a
 * batch whose rows finish early does not pay for its longest row on every row.
 *
 * <p>Log-probabilities are always the model's: the sum, over the written tokens, of the log-softmax of
 * the logits (temperature 1, whole vocabulary), computed in double precision. Logits are read once per
 * step, a row at a time in bulk from a FLOAT or DOUBLE buffer (other types or layouts element by
 * element). A loop allocates its buffers once per call; per step it allocates only ND4J's call objects
 * inside the session and, for beam search, the tokens of hypotheses it keeps as finished; a step after
 * which rows finished also sizes the session anew for the rows left.
 *
 * <p>Not thread-safe per model: a session belongs to one thread; decode concurrently with one
 * {@link SequenceGenerator#replica() replica} per thread.
 */
public final class Decoding {

  /** Beam search's default length-penalty exponent, {@code alpha = 0.6} as in GNMT. */
  public static final double DEFAULT_ALPHA = 0.6;

  private Decoding() {}

  // -----------------------------------------------------------------------------------------------
  // greedy and sampling

  /**
   * Greedy decoding: each row writes, at every step, its most likely token (argmax of the logits; the
   * lowest id on ties).
   *
   * @param state the decoder's initial state for {@code B > 0} rows (from {@code initialState} or
   *     {@code encode}); not changed
   * @return per row the tokens written (without START, up to and including END) and their
   *     log-probability
   * @throws IllegalArgumentException if an argument is null or the state has no row, or the model
   *     reports no vocabulary, no steps, or START or END outside its vocabulary
   */
  public static <S extends RecurrentState> Decoded greedy(SequenceGenerator<S> model, S state) {
    int batch = checkCall(model, state, 1);
    return decode(model, model.session(state, 1), batch, false, 1, 0, null);
  }

  /**
   * Sampling: each row draws, at every step, a token from {@code softmax(logits / temperature)},
   * restricted to the {@code topK} largest logits when {@code topK > 0}, with a
   * {@link SplittableRandom} seeded with {@code seed}: the same seed, model, state and arguments give
   * the same result.
   *
   * @param temperature a finite number {@code > 0}: below 1 sharpens the distribution, above 1 flattens
   *     it (for temperature 0, always the most likely token, use {@link #greedy})
   * @param topK how many of the largest logits to draw from (ties: the lowest ids); 0, or at least the
   *     vocabulary size, draws from the whole vocabulary
   * @return per row the tokens drawn and the model's log-probability of them (at temperature 1 over
   *     the whole vocabulary, whatever {@code temperature} and {@code topK})
   * @throws IllegalArgumentException if {@code temperature} is not a finite number {@code > 0}, if
   *     {@code topK < 0}, or for the reasons {@link #greedy} gives
   */
  public static <S extends RecurrentState> Decoded sample(
      SequenceGenerator<S> model, S state, double temperature, int topK, long seed) {
    return sample(model, state, temperature, topK, new SplittableRandom(seed));
  }

  /**
   * {@link #sample(SequenceGenerator, RecurrentState, double, int, long) Sampling} with a random
   * generator the caller owns (and that advances): draws come in row order at each step, one per row
   * still decoding.
   */
  public static <S extends RecurrentState> Decoded sample(
      SequenceGenerator<S> model, S state, double temperature, int topK, SplittableRandom random) {
    checkTemperature(temperature);
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0 (0: the whole vocabulary) but is " + topK);
    }
    Objects.requireNonNull(random, "random");
    int batch = checkCall(model, state, 1);
    return decode(model, model.session(state, 1), batch, true, temperature, topK, random);
  }

  private static void checkTemperature(double temperature) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      String message = "temperature must be a finite number > 0 but is " + temperature;
      if (temperature == 0) {
        message += "; for temperature 0 (always the most likely token) use Decoding.greedy";
      }
      throw new IllegalArgumentException(message);
    }
  }

  /** The greedy and sampling loop: one hypothesis per row. */
  private static Decoded decode(SequenceGenerator<?> model, DecoderSession session, int batch,
      boolean sampling, double temperature, int topK, SplittableRandom random) {
    int vocab = model.vocabulary();
    int end = model.endToken();
    int maxSteps = model.maxSteps();
    checkRows(session, batch, 1);
    LogitsReader logits = new LogitsReader(vocab);
    TopK top = sampling && topK > 0 && topK < vocab ? new TopK(topK) : null;
    int[] all = null;
    double[] weights = null;
    if (sampling) {
      weights = new double[vocab];
      if (top == null) {
        all = new int[vocab];
        for (int v = 0; v < vocab; v++) {
          all[v] = v;
        }
      }
    }
    int[] feed = new int[batch];
    Arrays.fill(feed, model.startToken());
    int[][] written = new int[batch][initialCapacity(maxSteps)];
    int[] lengths = new int[batch];
    double[] logProbabilities = new double[batch];
    boolean[] done = new boolean[batch];
    int[] rowOf = identity(batch); // session row i decodes the caller's row rowOf[i]
    int rows = batch; // session rows: the rows still decoding, in the caller's order
    int running = batch;
    for (int step = 0; step < maxSteps && running > 0; step++) {
      logits.bind(session.step(feed), rows);
      for (int i = 0; i < rows; i++) {
        int r = rowOf[i];
        double[] x = logits.read(i);
        double lse = logSumExp(x, vocab);
        int token = sampling ? draw(x, vocab, temperature, top, all, weights, random) : argmax(x, vocab);
        logProbabilities[r] += x[token] - lse;
        if (lengths[r] == written[r].length) {
          written[r] = Arrays.copyOf(written[r], grow(written[r].length, maxSteps));
        }
        written[r][lengths[r]++] = token;
        feed[i] = token;
        if (token == end || step + 1 == maxSteps) {
          done[r] = true;
          running--;
        }
      }
      if (running > 0 && running < rows) { // rows finished: they leave the session
        int[] from = new int[running];
        int kept = 0;
        for (int i = 0; i < rows; i++) {
          if (!done[rowOf[i]]) {
            from[kept] = i;
            rowOf[kept] = rowOf[i];
            feed[kept] = feed[i];
            kept++;
          }
        }
        session.select(from);
        rows = running;
        feed = Arrays.copyOf(feed, rows);
      }
    }
    int[][] tokens = new int[batch][];
    for (int r = 0; r < batch; r++) {
      tokens[r] = Arrays.copyOf(written[r], lengths[r]);
    }
    return new Decoded(tokens, logProbabilities);
  }

  /** The index of the largest of {@code x[0, n)}: the lowest on ties; NaN counts as negative infinity. */
  static int argmax(double[] x, int n) {
    int best = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < n; v++) {
      if (x[v] > max) {
        max = x[v];
        best = v;
      }
    }
    return best;
  }

  /** {@code log(sum(exp(x[0, n))))}, computed stably. */
  static double logSumExp(double[] x, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < n; v++) {
      max = Math.max(max, x[v]);
    }
    if (Double.isInfinite(max)) {
      return max;
    }
    double sum = 0;
    for (int v = 0; v < n; v++) {
      sum += Math.exp(x[v] - max);
    }
    return max + Math.log(sum);
  }

  /** Draws a token from {@code softmax(x / temperature)} over the top-k ids, or all when {@code top} is null. */
  private static int draw(double[] x, int vocab, double temperature, TopK top, int[] all, double[] weights,
      SplittableRandom random) {
    int[] candidates;
    int n;
    if (top != null) {
      top.clear();
      for (int v = 0; v < vocab; v++) {
        top.offer(x[v], v);
      }
      candidates = top.indices;
      n = top.size;
    } else {
      candidates = all;
      n = vocab;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, x[candidates[i]]);
    }
    if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
      return argmax(x, vocab); // nothing has a positive probability: fall back to the most likely
    }
    if (max == Double.POSITIVE_INFINITY) {
      for (int i = 0; i < n; i++) {
        if (x[candidates[i]] == max) {
          return candidates[i];
        }
      }
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double w = Math.exp((x[candidates[i]] - max) / temperature);
      w = w > 0 ? w : 0; // NaN logits never drawn
      weights[i] = w;
      sum += w;
    }
    double u = random.nextDouble() * sum;
    int last = -1;
    double cumulative = 0;
    for (int i = 0; i < n; i++) {
      if (weights[i] > 0) {
        cumulative += weights[i];
        last = i;
        if (u < cumulative) {
          return candidates[i];
        }
      }
    }
    return candidates[last]; // rounding: u at the very top
  }

  // -----------------------------------------------------------------------------------------------
  // beam search (the loop is BeamSearch's)

  /** {@link #beam(SequenceGenerator, RecurrentState, int, double) Beam search} with {@code alpha = 0.6}. */
  public static <S extends RecurrentState> Beams beam(SequenceGenerator<S> model, S state, int width) {
    return beam(model, state, width, DEFAULT_ALPHA);
  }

  /**
   * Beam search: per row, keeps up to {@code width} live hypotheses and returns the {@code width} best
   * sequences found, ranked by {@link #score score} {@code logProbability / length^alpha}.
   *
   * <p>The session is opened with {@code copies = width}: rows {@code r*width .. r*width+width-1} hold
   * row {@code r}'s hypotheses (once a row is done, its {@code width} rows leave the session and the
   * rows after them move up). At step 0 only copy 0 of each row is live (the copies are identical).
   * At every step, for each unfinished row, the {@code width} best candidates by log-probability over
   * its live hypotheses times the vocabulary (ties: the lower copy, then the lower id) are taken:
   * candidates that write END join the row's finished list (which keeps the {@code width} best by
   * score), the others are the live hypotheses of the next step (their states reordered with
   * {@link DecoderSession#select}). A row is done when none of its candidates is live, or when it has
   * {@code width} finished hypotheses and no live one can beat the worst of them: a hypothesis's
   * log-probability {@code lp <= 0} only decreases and its length is at most {@code maxSteps()}, so its
   * score can never exceed {@code lp / maxSteps()^alpha} (for {@code alpha = 0}, {@code lp}). At
   * {@code maxSteps()} the live hypotheses join the finished ones, without END.
   *
   * <p>Because only the {@code width} best candidates survive a step, width 1 is exactly {@link #greedy}
   * (same tokens, same log-probability). The finished list of a row holds fewer than {@code width}
   * hypotheses only when fewer sequences were ever candidates (a vocabulary smaller than the width).
   *
   * @param width hypotheses kept per row, {@code >= 1}
   * @param alpha length-penalty exponent, a finite number {@code >= 0}: 0 ranks by log-probability
   *     alone (favouring short sequences), larger values favour longer ones
   * @throws IllegalArgumentException if {@code width < 1}, {@code alpha} is negative or not finite, or
   *     for the reasons {@link #greedy} gives
   */
  public static <S extends RecurrentState> Beams beam(
      SequenceGenerator<S> model, S state, int width, double alpha) {
    if (width < 1) {
      throw new IllegalArgumentException("beam width must be >= 1 but is " + width);
    }
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("length-penalty alpha must be a finite number >= 0 but is " + alpha);
    }
    int batch = checkCall(model, state, width);
    DecoderSession session = model.session(state, width);
    return BeamSearch.run(model, session, batch, width, alpha);
  }

  /**
   * The ranking score of a hypothesis: {@code logProbability / length^alpha} ({@code logProbability}
   * itself for {@code alpha = 0}), {@code length} counting the tokens written, END included. This is
   * the simple form of GNMT's length normalisation (without its constant 5).
   */
  public static double score(double logProbability, int length, double alpha) {
    return alpha == 0 ? logProbability : logProbability / Math.pow(length, alpha);
  }

  // -----------------------------------------------------------------------------------------------
  // shared with BeamSearch

  /** Checks the arguments every loop shares; returns the batch size. */
  private static <S extends RecurrentState> int checkCall(SequenceGenerator<S> model, S state, int copies) {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    if (state == null) {
      throw new IllegalArgumentException("state must not be null (use the model's initialState or encode)");
    }
    int vocab = model.vocabulary();
    if (vocab < 1) {
      throw new IllegalArgumentException("the model's vocabulary() must be >= 1 but is " + vocab);
    }
    if (model.maxSteps() < 1) {
      throw new IllegalArgumentException("the model's maxSteps() must be >= 1 but is " + model.maxSteps());
    }
    if (model.startToken() < 0 || model.startToken() >= vocab) {
      throw new IllegalArgumentException("the model's startToken() " + model.startToken()
          + " is outside its vocabulary [0, " + vocab + ")");
    }
    if (model.endToken() < 0 || model.endToken() >= vocab) {
      throw new IllegalArgumentException("the model's endToken() " + model.endToken()
          + " is outside its vocabulary [0, " + vocab + ")");
    }
    long batch = state.batch();
    if (batch <= 0) {
      throw new IllegalArgumentException("state must hold at least one row but its batch is " + batch);
    }
    if (batch * copies > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("batch " + batch + " times " + copies + " copies is more rows than an int holds");
    }
    return (int) batch;
  }

  static void checkRows(DecoderSession session, int batch, int copies) {
    if (session.rows() != batch * copies) {
      throw new IllegalStateException("the decoder session has " + session.rows() + " rows but must have "
          + batch * copies + " (batch " + batch + " times " + copies + " copies)");
    }
  }

  /** {@code [0, 1, ..., n-1]}. */
  static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  static int initialCapacity(int maxSteps) {
    return Math.min(maxSteps, 32);
  }

  static int grow(int capacity, int maxSteps) {
    return (int) Math.min(maxSteps, 2L * capacity);
  }
}
