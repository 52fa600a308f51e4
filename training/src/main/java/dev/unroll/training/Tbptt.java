package dev.unroll.training;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.training.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Truncated backpropagation through time, TBPTT(k1, k2), with the recurrent state carried from one
 * chunk to the next.
 *
 * <p>Each chunk of k1 steps is one call of {@link StatefulModel#gradients(INDArray, INDArray, INDArray,
 * RecurrentState, int) model.gradients(x, y, mask, state, k2)}: it starts from the state the previous
 * chunk ended in, with no gradient flowing across the cut, and the state it returns is carried into the
 * next chunk. {@link #step} then clips the gradients and applies the optimizer. Feed it the chunks of
 * {@link dev.unroll.training.data.SequenceBatches} in order, calling {@link #reset()} when a batch
 * {@link dev.unroll.training.data.Batch#startsStreams() starts the streams} again, or give a whole long
 * series to {@link #train}.
 *
 * <p>Only unidirectional models can be trained this way: a bidirectional layer's backward direction
 * reads every sequence from its end, so it has no state to carry forward across a cut.
 *
 * @param <S> the model's state record
 */
public final class Tbptt<S extends RecurrentState> {

  private final StatefulModel<S> model;
  private final int backSteps;
  private double clipNorm;
  private double clipValue;
  private S state;
  private long chunks;

  /**
   * @param model the model, unidirectional
   * @param backSteps k2: gradients flow back through at most this many steps of each chunk (at least
   *     1; {@code Integer.MAX_VALUE} for full BPTT within each chunk)
   * @throws IllegalArgumentException if the model is bidirectional
   */
  public Tbptt(StatefulModel<S> model, int backSteps) {
    this.model = Objects.requireNonNull(model, "model");
    refuseBidirectional(model);
    if (backSteps < 1) {
      throw new IllegalArgumentException("backSteps (k2) must be at least 1, but is " + backSteps);
    }
    this.backSteps = backSteps;
  }

  /**
   * The driver for any generated model.
   *
   * @throws IllegalArgumentException if the model is bidirectional (saying why) or does not implement
   *     {@link StatefulModel}
   */
  public static Tbptt<?> of(RecurrentModel model, int backSteps) {
    Objects.requireNonNull(model, "model");
    refuseBidirectional(model);
    if (!(model instanceof StatefulModel<?> stateful)) {
      throw new IllegalArgumentException(
          model.getClass().getName() + " does not implement StatefulModel, so its recurrent state "
              + "cannot be carried between chunks; truncated BPTT needs a unidirectional model "
              + "generated with state in/out");
    }
    return create(stateful, backSteps);
  }

  private static <S extends RecurrentState> Tbptt<S> create(StatefulModel<S> model, int backSteps) {
    return new Tbptt<>(model, backSteps);
  }

  static void refuseBidirectional(RecurrentModel model) {
    if (model.config().bidirectional()) {
      throw new IllegalArgumentException(
          "truncated BPTT cannot train " + model.config().model() + ": it is bidirectional, and the "
              + "backward direction of each layer reads a sequence from its last step to its first, "
              + "so there is no state to carry forward from one chunk into the next (the backward "
              + "pass of a chunk would need the steps that come after it); train bidirectional models "
              + "with full BPTT on whole sequences (RecurrentModel.gradients)");
    }
  }

  /** The model. */
  public StatefulModel<S> model() {
    return model;
  }

  /** k2. */
  public int backSteps() {
    return backSteps;
  }

  /**
   * Clips the gradients of every {@link #step} to this total L2 norm (see
   * {@link GradientClipping#clipGlobalNorm}); 0 (the default) turns it off.
   */
  public Tbptt<S> clipNorm(double maxNorm) {
    if (!(maxNorm >= 0)) {
      throw new IllegalArgumentException("maxNorm must be at least 0, but is " + maxNorm);
    }
    this.clipNorm = maxNorm;
    return this;
  }

  /** Clamps the gradients of every {@link #step} into [-limit, limit]; 0 (the default) turns it off. */
  public Tbptt<S> clipValue(double limit) {
    if (!(limit >= 0)) {
      throw new IllegalArgumentException("limit must be at least 0, but is " + limit);
    }
    this.clipValue = limit;
    return this;
  }

  /** Forgets the carried state: the next chunk starts from the zero state. */
  public void reset() {
    state = null;
  }

  /** The state after the last chunk, or null after {@link #reset()} and before the first chunk. */
  public S state() {
    return state;
  }

  /** Carries {@code state} into the next chunk (null: start from zero). */
  public void setState(S state) {
    this.state = state;
  }

  /** Copies of the carried state's arrays (for a checkpoint), or null when there is none. */
  public List<INDArray> stateArrays() {
    if (state == null) {
      return null;
    }
    List<INDArray> out = new ArrayList<>();
    for (INDArray a : state.arrays()) {
      out.add(a.dup());
    }
    return out;
  }

  /**
   * Carries a state saved by {@link #stateArrays()} into the next chunk (null: start from zero).
   *
   * @throws IllegalArgumentException if the arrays do not fit the model's state
   */
  public void restoreState(List<INDArray> arrays) {
    if (arrays == null) {
      state = null;
      return;
    }
    S s = model.initialState((int) arrays.get(0).size(0));
    List<INDArray> target = s.arrays();
    if (target.size() != arrays.size()) {
      throw new IllegalArgumentException(
          "the model's state has " + target.size() + " arrays, the saved state " + arrays.size());
    }
    for (int i = 0; i < arrays.size(); i++) {
      if (!Arrays.equals(target.get(i).shape(), arrays.get(i).shape())) {
        throw new IllegalArgumentException(
            "state array " + i + " is " + Arrays.toString(target.get(i).shape())
                + " in the model but " + Arrays.toString(arrays.get(i).shape())
                + " saved");
      }
      target.get(i).assign(arrays.get(i));
    }
    state = s;
  }

  /** The number of chunks whose gradients were taken. */
  public long chunks() {
    return chunks;
  }

  private S start(INDArray x) {
    int batch = (int) x.size(0);
    if (state == null) {
      return model.initialState(batch);
    }
    if (state.batch() != batch) {
      throw new IllegalArgumentException(
          "the carried state is for " + state.batch() + " rows but this chunk has " + batch
              + "; call reset() before a batch that does not continue the previous one");
    }
    return state;
  }

  /**
   * The loss and gradients of the next chunk, from the carried state, and carries the state after it.
   * Nothing is updated.
   *
   * @param mask {@code [B, T]} or null
   */
  public Gradients gradients(INDArray x, INDArray y, INDArray mask) {
    StatefulModel.Chunk<S> chunk = model.gradients(x, y, mask, start(x), backSteps);
    state = chunk.state();
    chunks++;
    return chunk.gradients();
  }

  /**
   * Evaluation of the next chunk from the carried state (no dropout, no gradients): its logits; the
   * state after it is carried.
   */
  public INDArray forward(INDArray x, INDArray mask) {
    StatefulModel.Step<S> step = model.forward(x, mask, start(x));
    state = step.state();
    return step.logits();
  }

  /**
   * One TBPTT update: the chunk's {@link #gradients}, checked for NaN and infinities, clipped, and
   * applied by {@code optimizer} to the model's parameters.
   *
   * @return the chunk's gradients after clipping
   * @throws NonFiniteException if the loss or a gradient is not finite (nothing is updated)
   */
  public Gradients step(INDArray x, INDArray y, INDArray mask, Optimizer optimizer) {
    Gradients g = gradients(x, y, mask);
    GradientClipping.checkAndClip(g, chunks, clipValue, clipNorm);
    optimizer.step(model.parameters(), g.asMap());
    return g;
  }

  /**
   * Trains on one long batch of series, {@code x} of {@code [B, T]} or {@code [B, T, F]} with targets
   * {@code y [B, T]}, cut into chunks of {@code k1} steps (the last one shorter; a series shorter than
   * k1 is one chunk), one {@link #step} per chunk, starting from the zero state.
   *
   * @param mask {@code [B, T]} or null; every chunk must keep at least one valid step in every row
   * @return the mean of the chunks' losses, weighted by their lengths
   */
  public double train(INDArray x, INDArray y, INDArray mask, int k1, Optimizer optimizer) {
    if (k1 < 1) {
      throw new IllegalArgumentException("k1 must be at least 1, but is " + k1);
    }
    reset();
    long steps = x.size(1);
    double sum = 0;
    for (long t0 = 0; t0 < steps; t0 += k1) {
      long t1 = Math.min(steps, t0 + k1);
      Gradients g =
          step(slice(x, t0, t1), slice(y, t0, t1), mask == null ? null : slice(mask, t0, t1),
              optimizer);
      sum += g.loss() * (t1 - t0);
    }
    return sum / steps;
  }

  /** Steps {@code [t0, t1)} of a batch-first array, as a fresh array. */
  static INDArray slice(INDArray a, long t0, long t1) {
    if (t0 == 0 && t1 == a.size(1)) {
      return a;
    }
    INDArray view =
        a.rank() == 2
            ? a.get(NDArrayIndex.all(), NDArrayIndex.interval(t0, t1))
            : a.get(NDArrayIndex.all(), NDArrayIndex.interval(t0, t1), NDArrayIndex.all());
    return view.dup('c');
  }
}
