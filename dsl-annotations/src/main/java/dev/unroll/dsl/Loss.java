package dev.unroll.dsl;

/** The training loss on the output layer, {@link Output#loss()}. */
public enum Loss {
  /**
   * Softmax cross-entropy against class ids, PyTorch's {@code F.cross_entropy(logits, y)}: the outputs
   * are logits, the targets integer class ids ({@code -100} ignores one).
   */
  CROSS_ENTROPY,
  /**
   * Mean squared error against real-valued targets, PyTorch's {@code F.mse_loss(ŷ, y)} (mean over the
   * counted elements; padded steps of a many-to-many model are excluded by the mask): the outputs are
   * the predictions themselves, no softmax. Many-to-one and many-to-many models only.
   */
  MSE
}
