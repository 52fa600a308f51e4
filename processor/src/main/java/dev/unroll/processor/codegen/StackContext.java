package dev.unroll.processor.codegen;

import dev.unroll.processor.model.StackRole;
import dev.unroll.processor.model.StackSpec;

/**
 * One recurrent stack as the generated class uses it: its spec, and how it is wired to the rest of
 * the class. The names of the stack's own fields carry its role's infix ({@code xSeq},
 * {@code xSeqEncoder}), so that an encoder and a decoder can live in one class.
 *
 * @param stack              the stack
 * @param inputWidth         the constant naming the width layer 0 reads ({@code FEATURES}, {@code EMBEDDING_DIM})
 * @param embeddingField     the embedding table layer 0 looks tokens up in, or null for real-valued features
 * @param vocab              the constant naming the vocabulary, or null for real-valued features
 * @param masked             whether rows can be padded at the end (a mask may come with the input)
 * @param topConsumer        the buffer the top layer's outputs (or final states) are copied into, or null
 * @param topFinalStateOnly  whether the top layer hands on its final state only, not its outputs
 * @param finalStateGradient whether every layer's final state receives a gradient from outside the stack
 * @param truncatable        whether the backward pass can stop early (truncated BPTT)
 * @param fusedLstm          whether an evaluation pass may run each layer as libnd4j's fused
 *                           {@code lstmLayer} op (LSTM only; the class's {@code fused} field says when)
 */
record StackContext(StackSpec stack, String inputWidth, String embeddingField, String vocab, boolean masked,
    String topConsumer, boolean topFinalStateOnly, boolean finalStateGradient, boolean truncatable,
    boolean fusedLstm) {

  /**
   * The stack of a model that reads sequences (many-to-one, many-to-many): masked input, its top
   * layer feeding {@code fcInput} (its final state only when {@code manyToOne}).
   *
   * @param inputWidth     the constant naming the width layer 0 reads ({@code FEATURES}, {@code EMBEDDING_DIM})
   * @param embeddingField the embedding table, or null for real-valued features
   * @param truncatable    whether the backward pass can stop early (truncated BPTT)
   * @param fusedLstm      whether evaluation passes may run the layers as the fused op
   */
  static StackContext reader(StackSpec stack, String inputWidth, String embeddingField, boolean manyToOne,
      boolean truncatable, boolean fusedLstm) {
    return new StackContext(stack, inputWidth, embeddingField, embeddingField == null ? null : "VOCAB", true,
        "fcInput", manyToOne, false, truncatable, fusedLstm);
  }

  /** A seq2seq model's encoder: masked source tokens; its final states, with their gradients, start the decoder. */
  static StackContext encoder(StackSpec stack) {
    return new StackContext(stack, "SOURCE_EMBEDDING_DIM", "sourceEmbeddingWeight", "SOURCE_VOCAB", true, null,
        true, true, false, false);
  }

  /** A decoder (seq2seq or one-to-many): unmasked target tokens, every step's output feeding {@code fcInput}. */
  static StackContext decoder(StackSpec stack, boolean seq2seq) {
    return new StackContext(stack, "EMBEDDING_DIM", seq2seq ? "targetEmbeddingWeight" : "embeddingWeight", "VOCAB",
        false, "fcInput", false, false, false, false);
  }

  /** A field or variable of this stack: {@code steps}, {@code stepsEncoder}. */
  String name(String base) {
    return base + stack.role().fieldInfix();
  }

  /** The number of steps of the current call. */
  String steps() {
    return name("steps");
  }

  /** Rows of the time-major buffers, batch × steps (a local of the allocating method). */
  String rows() {
    return name("rows");
  }

  /** The time-major input of layer {@code l}: the (embedded) input, or layer {@code l − 1}'s outputs. */
  String input(int l) {
    return l == 0 ? name("xSeq") : name("inputSeq") + l;
  }

  /** Whether the input is token ids. */
  boolean embedded() {
    return embeddingField != null;
  }

  /** "Layer", "Encoder layer": how Javadoc names this stack's layers. */
  String layerWord() {
    return stack.role() == StackRole.RNN ? "Layer" : capitalize(stack.role().module()) + " layer";
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
