package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Generation from a vector (captioning): a {@link Condition} vector sets every layer's initial hidden
 * state through {@code init = nn.Linear(condition, layers * hidden)} and tanh (c starts at 0), then the
 * decoder reads its own previous token, starting from {@code start}, until it writes {@code end}.
 * Needs {@link Embedding} (the decoder reads tokens) and an {@link Output} equal to its vocabulary.
 * Exactly one topology annotation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface OneToMany {
  /** The token id that begins every output sequence (fed at the first step). */
  int start();

  /** The token id that ends an output sequence; decoding stops a row when it is written. */
  int end();

  /** The most tokens decoding writes per row, at least 1 (training lengths are not bounded by it). */
  int maxSteps();
}
