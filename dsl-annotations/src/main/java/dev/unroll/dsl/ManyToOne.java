package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sequence classification: one output per sequence, {@code logits [batch, out]}, read from the top
 * layer's state at each row's last valid step. A bidirectional model concatenates each direction's
 * final state, as PyTorch's {@code cat(h_n[-2], h_n[-1])}. Exactly one topology annotation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ManyToOne {}
