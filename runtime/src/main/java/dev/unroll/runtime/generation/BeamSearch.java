package dev.unroll.runtime.generation;

import dev.unroll.runtime.internal.LogitsReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The beam-search loop behind {@link Decoding#beam(SequenceGenerator, dev.unroll.runtime.RecurrentState,
 * int, double)}, which checks the arguments, opens the session and documents the search.
 */
final class BeamSearch {

  private BeamSearch() {}

  /**
   * Searches {@code batch} rows of {@code width} hypotheses each in {@code session} (opened with
   * {@code copies = width}).
   */
  static Beams run(SequenceGenerator<?> model, DecoderSession session, int batch, int width,
      double alpha) {
    int vocab = model.vocabulary();
    int end = model.endToken();
    int maxSteps = model.maxSteps();
    int rows = batch * width;
    Decoding.checkRows(session, batch, width);
    LogitsReader logits = new LogitsReader(vocab);
    TopK top = new TopK(width);
    double boundDivisor = alpha == 0 ? 1 : Math.pow(maxSteps, alpha);

    // per session row (slot): the live hypothesis there, double-buffered across a step; the slots
    // g*width .. g*width+width-1 hold the hypotheses of the caller's row rowOf[g]
    boolean[] live = new boolean[rows];
    boolean[] nextLive = new boolean[rows];
    double[] logProbability = new double[rows];
    double[] nextLogProbability = new double[rows];
    int capacity = Decoding.initialCapacity(maxSteps);
    int[][] history = new int[rows][capacity];
    int[][] nextHistory = new int[rows][capacity];
    int[] from = new int[rows];
    int[] feed = new int[rows];
    Finished[] finished = new Finished[batch];
    boolean[] done = new boolean[batch];
    for (int r = 0; r < batch; r++) {
      finished[r] = new Finished(width);
      live[r * width] = true;
    }
    Arrays.fill(feed, model.startToken());
    int[] rowOf = Decoding.identity(batch);
    int groups = batch; // caller's rows still searching, each with width slots in the session

    int running = batch;
    for (int step = 0; step < maxSteps && running > 0; step++) {
      int length = step + 1; // tokens in a candidate: the step's token included
      int slots = groups * width;
      logits.bind(session.step(feed), slots);
      if (length > capacity) {
        capacity = Decoding.grow(capacity, maxSteps);
        for (int slot = 0; slot < rows; slot++) {
          history[slot] = Arrays.copyOf(history[slot], capacity);
          nextHistory[slot] = new int[capacity];
        }
      }
      for (int g = 0; g < groups; g++) {
        int r = rowOf[g];
        int base = g * width;
        int kept = 0;
        top.clear();
        for (int j = 0; j < width; j++) {
          int slot = base + j;
          if (!live[slot]) {
            continue;
          }
          double[] x = logits.read(slot);
          double lse = Decoding.logSumExp(x, vocab);
          double lp = logProbability[slot];
          int offset = j * vocab;
          for (int v = 0; v < vocab; v++) {
            top.offer(lp + (x[v] - lse), offset + v);
          }
        }
        top.sortBestFirst();
        for (int i = 0; i < top.size; i++) {
          int candidate = top.indices[i];
          int src = base + candidate / vocab;
          int token = candidate % vocab;
          double lp = top.values[i];
          if (token == end) {
            finished[r].offer(history[src], step, end, lp, Decoding.score(lp, length, alpha));
          } else {
            int dst = base + kept++;
            System.arraycopy(history[src], 0, nextHistory[dst], 0, step);
            nextHistory[dst][step] = token;
            nextLogProbability[dst] = lp;
            nextLive[dst] = true;
            from[dst] = src;
            feed[dst] = token;
          }
        }
        if (length == maxSteps) {
          for (int k = 0; k < kept; k++) {
            double lp = nextLogProbability[base + k];
            finished[r].offer(nextHistory[base + k], length, -1, lp, Decoding.score(lp, length, alpha));
          }
          kept = 0;
        } else if (kept > 0 && finished[r].full()) {
          double worst = finished[r].worstScore();
          boolean canImprove = false;
          for (int k = 0; k < kept && !canImprove; k++) {
            canImprove = nextLogProbability[base + k] / boundDivisor > worst;
          }
          if (!canImprove) {
            kept = 0;
          }
        }
        if (kept == 0) {
          done[r] = true;
          running--;
        }
        for (int k = kept; k < width; k++) { // idle slots: keep their state, fed END, ignored
          nextLive[base + k] = false;
          from[base + k] = base + k;
          feed[base + k] = end;
        }
      }
      boolean[] b = live;
      live = nextLive;
      nextLive = b;
      double[] d = logProbability;
      logProbability = nextLogProbability;
      nextLogProbability = d;
      int[][] h = history;
      history = nextHistory;
      nextHistory = h;
      if (running == 0) {
        break;
      }
      if (running < groups) { // rows finished: their slots leave the session
        int kept = 0;
        for (int g = 0; g < groups; g++) {
          if (done[rowOf[g]]) {
            continue;
          }
          for (int j = 0; j < width; j++) {
            int src = g * width + j;
            int dst = kept * width + j;
            from[dst] = from[src];
            feed[dst] = feed[src];
            live[dst] = live[src];
            logProbability[dst] = logProbability[src];
            int[] t = history[dst]; // swapped, so that no two slots share an array
            history[dst] = history[src];
            history[src] = t;
          }
          rowOf[kept++] = rowOf[g];
        }
        groups = running;
        from = Arrays.copyOf(from, groups * width);
        feed = Arrays.copyOf(feed, groups * width);
        session.select(from);
      } else if (!isIdentity(from)) {
        session.select(from);
      }
    }
    List<List<Hypothesis>> result = new ArrayList<>(batch);
    for (int r = 0; r < batch; r++) {
      result.add(finished[r].sorted());
    }
    return new Beams(result);
  }

  private static boolean isIdentity(int[] from) {
    for (int i = 0; i < from.length; i++) {
      if (from[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** A row's finished hypotheses: the {@code capacity} best by score, best first, stable on ties. */
  private static final class Finished {
    private final Hypothesis[] best;
    private int size;

    Finished(int capacity) {
      best = new Hypothesis[capacity];
    }

    boolean full() {
      return size == best.length;
    }

    double worstScore() {
      return best[size - 1].score();
    }

    /**
     * Keeps {@code prefix[0, length)} followed by {@code last} (none if negative) if it is among the
     * best; allocates only then.
     */
    void offer(int[] prefix, int length, int last, double logProbability, double score) {
      if (full() && !(score > worstScore())) {
        return;
      }
      int[] tokens = Arrays.copyOf(prefix, last >= 0 ? length + 1 : length);
      if (last >= 0) {
        tokens[length] = last;
      }
      int at = full() ? size - 1 : size++;
      while (at > 0 && score > best[at - 1].score()) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = new Hypothesis(tokens, logProbability, score);
    }

    List<Hypothesis> sorted() {
      return List.of(Arrays.copyOf(best, size));
    }
  }
}
