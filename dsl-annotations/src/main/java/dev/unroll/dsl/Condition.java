package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Length of the condition vector of a {@link OneToMany} model (e.g. image features from a CNN),
 * mapped to every layer's initial hidden state by {@code init = nn.Linear(value, layers × hidden)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Condition {
  /** Values in the condition vector, at least 1. */
  int value();
}
