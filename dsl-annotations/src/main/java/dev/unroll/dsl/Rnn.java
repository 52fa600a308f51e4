package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An Elman recurrent layer stack, PyTorch's {@code nn.RNN}:
 * {@code h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)}.
 * Exactly one cell annotation ({@code @Rnn}, {@link Lstm} or {@link Gru}) goes on a model interface.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Rnn {
  /** State size per layer and direction, at least 1; PyTorch's {@code hidden_size}. No default. */
  int hidden();

  /** Number of stacked layers, at least 1; PyTorch's {@code num_layers}. Default 1. */
  int layers() default 1;

  /** Whether each layer also reads the sequence backwards; PyTorch's {@code bidirectional}. Default false. */
  boolean bidirectional() default false;

  /** Whether the layers have {@code b_ih} and {@code b_hh}; PyTorch's {@code bias}. Default true. */
  boolean bias() default true;

  /**
   * Drop probability in [0, 1) applied to the outputs of every layer but the last, in training only;
   * PyTorch's {@code dropout}. Default 0 (none).
   */
  double dropout() default 0;

  /** The activation; PyTorch's {@code nonlinearity}. Default {@link Nonlinearity#TANH}. */
  Nonlinearity nonlinearity() default Nonlinearity.TANH;
}
