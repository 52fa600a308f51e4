package dev.unroll.runtime;

import dev.unroll.runtime.internal.Inputs;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A generated many-to-one or many-to-many model. Inputs are batch first: {@code x} is float
 * {@code [B, T, features]} or int64 token ids {@code [B, T]}; {@code mask} is {@code [B, T]}, 1 at
 * valid steps, a prefix of ones in every row (sequences padded at the end), any numeric type.
 *
 * <p>Masked semantics are PyTorch's packed sequences: each direction sees only a row's valid steps,
 * the recurrent output at a padded step is zero, and many-to-one reads each row's last valid step.
 *
 * <p>Returned arrays belong to the caller. {@code forward} is evaluation (no dropout);
 * {@code gradients} is training mode.
 */
public interface RecurrentModel extends UnrolledModel {

  /**
   * Logits {@code [B, out]} (many to one) or {@code [B, T, out]} (many to many), every step valid; for
   * a model trained by mean squared error ({@link ModelConfig#loss()} {@code MSE}), the predictions.
   */
  INDArray forward(INDArray x);

  /** Logits (or predictions) for padded sequences; see the class comment for {@code mask}. */
  INDArray forward(INDArray x, INDArray mask);

  /**
   * Mean softmax cross-entropy and its gradient for every parameter, by backpropagation through time;
   * for a model trained by mean squared error, the mean of (ŷ − y)² over the counted elements.
   *
   * @param y int64 class ids, {@code [B]} (many to one) or {@code [B, T]} (many to many; -100 = ignore);
   *     for mean squared error, floats {@code [B, out]} or {@code [B, T, out]} (the mask, not the
   *     target's value, leaves a padded step out)
   */
  Gradients gradients(INDArray x, INDArray y);

  /** As {@link #gradients(INDArray, INDArray)}, for padded sequences. */
  Gradients gradients(INDArray x, INDArray y, INDArray mask);

  @Override
  RecurrentModel replica();
}
