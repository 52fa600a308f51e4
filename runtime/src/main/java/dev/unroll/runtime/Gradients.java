package dev.unroll.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The loss of one batch and its gradient with respect to every parameter. The arrays belong to the
 * caller: the model never writes to them again.
 */
public final class Gradients {
  private final double loss;
  private final Map<String, INDArray> byName;

  /**
   * @param loss   the mean cross-entropy over the counted targets
   * @param byName gradients keyed by parameter name, in the model's declaration order
   */
  public Gradients(double loss, Map<String, INDArray> byName) {
    this.loss = loss;
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
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
    INDArray g = byName.get(name);
    if (g == null) {
      throw new IllegalArgumentException(
          "no parameter named '" + name + "'; the parameters are " + byName.keySet());
    }
    return g;
  }

  /** All gradients in declaration order (unmodifiable). */
  public Map<String, INDArray> asMap() {
    return byName;
  }
}
