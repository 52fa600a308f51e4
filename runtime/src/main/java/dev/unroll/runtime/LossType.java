package dev.unroll.runtime;

/** The training loss a generated model was compiled for, its {@code @Output(loss = ...)}. */
public enum LossType {
  /** Softmax cross-entropy against integer class ids ({@code CrossEntropy}); the outputs are logits. */
  CROSS_ENTROPY,
  /** Mean squared error against real-valued targets ({@code MeanSquaredError}); the outputs are predictions. */
  MSE
}
