package dev.unroll.processor.model;

/** A direction of a recurrent layer. */
public enum Direction {
  FORWARD("", "", "forward"),
  REVERSE("_reverse", "Reverse", "reverse");

  private final String pytorchSuffix;
  private final String fieldInfix;
  private final String word;

  Direction(String pytorchSuffix, String fieldInfix, String word) {
    this.pytorchSuffix = pytorchSuffix;
    this.fieldInfix = fieldInfix;
    this.word = word;
  }

  /** {@code ""} or {@code "_reverse"}, as in {@code rnn.weight_hh_l0_reverse}. */
  public String pytorchSuffix() {
    return pytorchSuffix;
  }

  /** {@code ""} or {@code "Reverse"}, as in the field {@code weightHhReverse0}. */
  public String fieldInfix() {
    return fieldInfix;
  }

  /** "forward" or "reverse". */
  public String word() {
    return word;
  }
}
