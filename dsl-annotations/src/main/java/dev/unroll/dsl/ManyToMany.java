package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sequence labelling and language models: one output per step, {@code logits [batch, time, out]}.
 * At padded steps the recurrent output is zero, so the logits there equal {@code fc.bias} (as
 * PyTorch's {@code pad_packed_sequence} followed by {@code fc}). Exactly one topology annotation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ManyToMany {}
