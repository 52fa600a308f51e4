package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Real-valued input: {@code x} is a float tensor {@code [batch, time, value]}, batch first
 * (PyTorch's {@code batch_first=True}). Exactly one of {@code @Features} and {@link Embedding}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Features {
  /** Features per time step, at least 1; PyTorch's {@code input_size} of the first layer. */
  int value();
}
