package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A gated recurrent unit layer stack, PyTorch's {@code nn.GRU} (gate order r, z, n):
 * <pre>
 * r = σ(W_ir x + b_ir + W_hr h + b_hr)     z = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))      (resetAfter = true, PyTorch)
 * n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)      (resetAfter = false, Cho et al. 2014)
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Exactly one cell annotation ({@link Rnn}, {@link Lstm} or {@code @Gru}) goes on a model interface.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Gru {
  /** State size per layer and direction, at least 1; PyTorch's {@code hidden_size}. */
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

  /**
   * Where the reset gate acts. {@code true} (the default) is PyTorch's and cuDNN's form,
   * {@code n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))}; {@code false} is the original paper's,
   * {@code n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn)} (Keras' {@code reset_after=False}).
   */
  boolean resetAfter() default true;
}
