package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A long short-term memory layer stack, PyTorch's {@code nn.LSTM} (gate order i, f, g, o):
 * <pre>
 * i = σ(W_ii x + b_ii + W_hi h + b_hi)    f = σ(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg) o = σ(W_io x + b_io + W_ho h + b_ho)
 * c' = f ⊙ c + i ⊙ g                       h' = o ⊙ tanh(c')
 * </pre>
 * Exactly one cell annotation ({@link Rnn}, {@code @Lstm} or {@link Gru}) goes on a model interface.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Lstm {
  /** State size (of both h and c) per layer and direction, at least 1; PyTorch's {@code hidden_size}. */
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
}
