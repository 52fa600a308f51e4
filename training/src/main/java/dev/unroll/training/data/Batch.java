package dev.unroll.training.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training or validation batch, ready for {@code RecurrentModel.gradients(x, y, mask)}.
 *
 * @param x the inputs: int64 token ids {@code [B, T]} or features {@code [B, T, F]}
 * @param y int64 targets: {@code [B, T]} per step (-100 ignored) or {@code [B]} per sequence; for a model
 *     trained by mean squared error, float {@code [B, T, n]} per step (the mask leaves padding out) or
 *     {@code [B, n]} per sequence
 * @param mask {@code [B, T]} 1 at valid steps, or null when every step is valid
 * @param startsStreams whether the rows do not continue the rows of the previous batch, so that a
 *     model carrying recurrent state between batches (truncated BPTT) must start again from zero
 */
public record Batch(INDArray x, INDArray y, INDArray mask, boolean startsStreams) {

  /** The number of rows. */
  public int size() {
    return (int) x.size(0);
  }

  /** The number of time steps. */
  public int steps() {
    return (int) x.size(1);
  }
}
