package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The linear output layer on top of the recurrent stack, PyTorch's
 * {@code fc = nn.Linear(hidden * directions, value)}; its outputs are logits for a softmax
 * cross-entropy. Required.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Output {
  /** Number of classes (or, for a language model, the vocabulary size), at least 1. */
  int value();
}
