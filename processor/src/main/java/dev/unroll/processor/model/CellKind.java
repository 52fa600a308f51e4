package dev.unroll.processor.model;

/** The recurrent cell of a model; one {@code CellMath} per kind states its equations. */
public enum CellKind {
  RNN_TANH("RNN", "Elman RNN, tanh", 1),
  RNN_RELU("RNN", "Elman RNN, ReLU", 1),
  LSTM("LSTM", "LSTM", 4),
  GRU("GRU", "GRU (PyTorch form: reset after the recurrent product)", 3),
  GRU_RESET_BEFORE("GRU", "GRU (Cho et al. 2014 form: reset before the recurrent product)", 3);

  private final String shortName;
  private final String description;
  private final int gates;

  CellKind(String shortName, String description, int gates) {
    this.shortName = shortName;
    this.description = description;
    this.gates = gates;
  }

  /** "RNN", "LSTM" or "GRU". */
  public String shortName() {
    return shortName;
  }

  /** A phrase for Javadoc. */
  public String description() {
    return description;
  }

  /** Gate blocks stacked in {@code weight_ih} and {@code weight_hh}. */
  public int gates() {
    return gates;
  }

  /** Whether the cell carries a memory cell {@code c} besides {@code h}. */
  public boolean hasCellState() {
    return this == LSTM;
  }
}
