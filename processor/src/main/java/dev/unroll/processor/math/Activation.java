package dev.unroll.processor.math;

/** A gate nonlinearity, with the symbol used in equation comments. */
public enum Activation {
  SIGMOID("σ"),
  TANH("tanh"),
  RELU("relu");

  private final String symbol;

  Activation(String symbol) {
    this.symbol = symbol;
  }

  /** The symbol in equations: σ, tanh, relu. */
  public String symbol() {
    return symbol;
  }
}
