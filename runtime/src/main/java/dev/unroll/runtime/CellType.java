package dev.unroll.runtime;

/** The recurrent cell of a generated model, as its configuration records it. */
public enum CellType {
  /** Elman RNN with tanh, PyTorch's {@code nn.RNN(nonlinearity='tanh')}. */
  RNN_TANH,
  /** Elman RNN with ReLU, PyTorch's {@code nn.RNN(nonlinearity='relu')}. */
  RNN_RELU,
  /** PyTorch's {@code nn.LSTM}, gates i, f, g, o. */
  LSTM,
  /** PyTorch's {@code nn.GRU}, gates r, z, n, reset gate applied after the recurrent product. */
  GRU,
  /** GRU of Cho et al. (2014), reset gate applied to h before the recurrent product. */
  GRU_RESET_BEFORE;

  /** Number of gate blocks in {@code weight_ih} and {@code weight_hh}: 1, 4 or 3. */
  public int gates() {
    return switch (this) {
      case RNN_TANH, RNN_RELU -> 1;
      case LSTM -> 4;
      case GRU, GRU_RESET_BEFORE -> 3;
    };
  }
}
