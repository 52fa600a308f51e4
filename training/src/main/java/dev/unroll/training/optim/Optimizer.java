package dev.unroll.training.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A first-order optimizer with PyTorch's update rule, updating parameters in place.
 *
 * <p>Parameters and gradients are maps with the same keys (a model's {@link
 * dev.unroll.runtime.UnrolledModel#parameters()} and {@link dev.unroll.runtime.Gradients#asMap()}).
 * Per-parameter state (moment estimates, momentum buffers) is created on the first {@link #step} that
 * sees a parameter and is kept under the parameter's name, so one optimizer serves one model.
 *
 * <p>{@link #state()} names every state array {@code slot/parameter} with PyTorch's slot names
 * ({@code exp_avg/rnn.weight_ih_l0}, {@code momentum_buffer/fc.bias}, ...), plus {@code step} (an
 * int64 scalar, the number of steps taken) and {@code lr} (a double scalar, the current learning rate),
 * so that a checkpoint can store it with {@link dev.unroll.runtime.Npz} and {@link #loadState} can
 * restore it exactly.
 *
 * <p>Not thread-safe.
 */
public interface Optimizer {

  /**
   * Updates every parameter in place from its gradient.
   *
   * @param params the parameters by name; every array is changed in place
   * @param grads the gradients by name: exactly the keys of {@code params}, each of its parameter's
   *     shape; not modified
   * @throws IllegalArgumentException if the keys or shapes do not match (nothing is changed then)
   */
  void step(Map<String, INDArray> params, Map<String, INDArray> grads);

  /** The learning rate the next {@link #step} uses. */
  double learningRate();

  /** Sets the learning rate of the following steps (for schedules); must be finite and at least 0. */
  void setLearningRate(double learningRate);

  /**
   * A copy of the optimizer's state: {@code step}, {@code lr} and every per-parameter array, named
   * {@code slot/parameter}. The arrays belong to the caller.
   */
  Map<String, INDArray> state();

  /**
   * Replaces the state with one returned by {@link #state()} of an optimizer of the same kind (arrays
   * are copied). Shapes are checked against the parameters at the next {@link #step}.
   *
   * @throws IllegalArgumentException if {@code step} is missing or a key is not a slot of this
   *     optimizer
   */
  void loadState(Map<String, INDArray> state);

  /** The number of {@link #step} calls so far (restored by {@link #loadState}). */
  int stepCount();
}
