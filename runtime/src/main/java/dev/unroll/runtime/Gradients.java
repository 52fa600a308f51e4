package dev.unroll.runtime;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The loss of one batch and its gradient with respect to every parameter. The arrays belong to the
 * caller: the model never writes to them again, unless the caller hands them back with {@link
 * #release()} once done with them (as {@code Trainer} does after each optimizer step), so that the
 * model's next call reuses them instead of allocating new ones.
 */
public final class Gradients {
  private final double loss;
  private final Map<String, INDArray> byName;
  private final Owner owner;
  private boolean released;

  /** The model that computed a {@link Gradients}, which takes its arrays back on {@link #release()}. */
  @FunctionalInterface
  public interface Owner {
    /** Takes back {@code arrays}, which their holder no longer reads, for reuse in a later call. */
    void reuse(Collection<INDArray> arrays);
  }

  /**
   * @param loss   the mean cross-entropy over the counted targets
   * @param byName gradients keyed by parameter name, in the model's declaration order
   */
  public Gradients(double loss, Map<String, INDArray> byName) {
    this(loss, byName, null);
  }

  /**
   * @param loss   the mean cross-entropy over the counted targets
   * @param byName gradients keyed by parameter name, in the model's declaration order
   * @param owner  who takes the arrays back on {@link #release()} (null: nobody)
   */
  public Gradients(double loss, Map<String, INDArray> byName, Owner owner) {
    this.loss = loss;
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    this.owner = owner;
  }

  /**
   * Hands the arrays back to the model that computed them, to be zeroed and reused by one of its
   * later gradient calls: a fresh array costs far more than zeroing one (ND4J's native allocation,
   * measured: 15 ms for 1 M floats against 0.3 ms to zero them; shape d's 1.6 M gradient floats
   * took 10 ms of a 94 ms forward+backward). Afterwards neither these arrays nor this object may be
   * read; {@link #get} and {@link #asMap} then throw. Calling it again does nothing.
   */
  public void release() {
    if (released) {
      return;
    }
    released = true;
    if (owner != null) {
      owner.reuse(byName.values());
    }
  }

  private void requireHeld() {
    if (released) {
      throw new IllegalStateException("these gradients were released: their arrays now belong to the"
          + " model again; read them (or copy them with dup()) before calling release()");
    }
  }

  /** The mean softmax cross-entropy over all targets that are not -100 (0 when there are none). */
  public double loss() {
    return loss;
  }

  /**
   * The gradient of the loss with respect to one parameter, named as in {@link UnrolledModel#parameters()}
   * (PyTorch's {@code state_dict} name, e.g. {@code rnn.weight_hh_l0}).
   *
   * @throws IllegalArgumentException if the model has no such parameter
   */
  public INDArray get(String name) {
    requireHeld();
    INDArray g = byName.get(name);
    if (g == null) {
      throw new IllegalArgumentException(
          "no parameter named '" + name + "'; the parameters are " + byName.keySet());
    }
    return g;
  }

  /** All gradients in declaration order (unmodifiable). */
  public Map<String, INDArray> asMap() {
    requireHeld();
    return byName;
  }
}
