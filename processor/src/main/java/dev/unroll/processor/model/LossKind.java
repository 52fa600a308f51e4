package dev.unroll.processor.model;

/** The training loss on the output layer: {@code @Output(loss = ...)}. */
public enum LossKind {
  /** Softmax cross-entropy against class ids; the outputs are logits. */
  CROSS_ENTROPY,
  /** Mean squared error against real-valued targets; the outputs are the predictions. */
  MSE
}
