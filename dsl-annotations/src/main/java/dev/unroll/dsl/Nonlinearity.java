package dev.unroll.dsl;

/** The activation of an Elman {@link Rnn} cell; PyTorch's {@code nn.RNN(nonlinearity=...)}. */
public enum Nonlinearity {
  /** {@code h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)}; PyTorch's {@code 'tanh'} (the default). */
  TANH,
  /** {@code h_t = max(0, W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)}; PyTorch's {@code 'relu'}. */
  RELU
}
