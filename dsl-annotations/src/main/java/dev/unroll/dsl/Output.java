package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The linear output layer on top of the recurrent stack, PyTorch's
 * {@code fc = nn.Linear(hidden * directions, value)}. With the default {@link Loss#CROSS_ENTROPY}
 * its outputs are logits for a softmax cross-entropy against class ids; with {@link Loss#MSE}
 * (many-to-one and many-to-many models) they are real-valued predictions, trained against float
 * targets {@code [B, value]} (many-to-one) or {@code [B, T, value]} (many-to-many) by mean squared
 * error. Required.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Output {
  /**
   * Number of classes (or, for a language model, the vocabulary size; for {@link Loss#MSE}, the
   * values predicted per sequence or step), at least 1.
   */
  int value();

  /** The training loss: softmax cross-entropy (the default) or mean squared error. */
  Loss loss() default Loss.CROSS_ENTROPY;
}
