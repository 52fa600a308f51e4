package dev.unroll.processor.model;

/**
 * Which recurrent stack of a model a layer belongs to: its PyTorch module name and the infix that
 * keeps its generated fields apart ({@code weightIh0}, {@code weightIhEncoder0}).
 */
public enum StackRole {
  /** The one stack of a classifier, tagger or one-to-many model: module {@code rnn}. */
  RNN("rnn", ""),
  /** The encoder of an encoder-decoder. */
  ENCODER("encoder", "Encoder"),
  /** The decoder of an encoder-decoder. */
  DECODER("decoder", "Decoder");

  private final String module;
  private final String fieldInfix;

  StackRole(String module, String fieldInfix) {
    this.module = module;
    this.fieldInfix = fieldInfix;
  }

  /** PyTorch's module name, the prefix of its parameters: {@code rnn}, {@code encoder}. */
  public String module() {
    return module;
  }

  /** {@code ""}, {@code "Encoder"} or {@code "Decoder"}, as in the field {@code weightIhEncoder0}. */
  public String fieldInfix() {
    return fieldInfix;
  }
}
