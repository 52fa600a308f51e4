package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How the generated code writes out time. Without {@code @Unroll} the generated forward and backward
 * passes loop over time one step per iteration. Set exactly one element:
 * <ul>
 *   <li>{@code @Unroll(steps = T)}: the sequence length is fixed at T (a run-time input of another
 *       length is an error naming both) and every step is written out, forward and backward;
 *   <li>{@code @Unroll(factor = k)}, k ≥ 2: the loop over time runs k written-out steps per iteration,
 *       followed by a written-out remainder of at most k − 1 steps.
 * </ul>
 * Layers, directions and gates are always written out. Full unrolling has a size limit (see the
 * compile error that names it); above it, use {@code factor}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Unroll {
  /** The fixed sequence length, at least 1, to write out completely. 0 means unset. */
  int steps() default 0;

  /** Steps written out per loop iteration, at least 2. 0 means unset. */
  int factor() default 0;
}
