package dev.unroll.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/**
 * A complete, validated generation model: a decoder that writes tokens, started either from a
 * condition vector (one-to-many, captioning) or from an encoder's final state (seq2seq, translation).
 * Parameter names and order are those of the PyTorch modules in the parity-seq reference.
 *
 * @param origin        the annotated interface; kept for the Filer only (may be null in tests)
 * @param packageName   the interface's package
 * @param interfaceName the interface's name relative to its package
 * @param topology      {@link TopologyKind#ONE_TO_MANY} or {@link TopologyKind#SEQ2SEQ}
 * @param condition     length of the condition vector (one-to-many), else 0
 * @param encoder       the encoder stack (seq2seq only)
 * @param decoder       the decoder stack: unidirectional, reading token embeddings
 * @param start         the token decoding starts from
 * @param end           the token that ends a sequence
 * @param maxSteps      the most tokens decoding writes
 */
public record SequenceSpec(
    TypeElement origin,
    String packageName,
    String interfaceName,
    TopologyKind topology,
    int condition,
    Optional<StackSpec> encoder,
    StackSpec decoder,
    int start,
    int end,
    int maxSteps) implements Spec {

  public SequenceSpec {
    Objects.requireNonNull(packageName);
    Objects.requireNonNull(interfaceName);
    Objects.requireNonNull(encoder);
    Objects.requireNonNull(decoder);
    assert topology == TopologyKind.ONE_TO_MANY ? condition > 0 && encoder.isEmpty() && decoder.role() == StackRole.RNN
        : topology == TopologyKind.SEQ2SEQ && condition == 0 && encoder.isPresent() && decoder.role() == StackRole.DECODER;
    assert !decoder.bidirectional() && decoder.input() instanceof InputSpec.Embedding;
    assert encoder.isEmpty() || encoder.get().input() instanceof InputSpec.Embedding;
    assert start != end && maxSteps > 0;
  }

  /** {@code UnrolledCaptioner}. */
  public String generatedSimpleName() {
    return "Unrolled" + interfaceName.replace('.', '_');
  }

  /** Whether this is an encoder-decoder. */
  public boolean seq2seq() {
    return topology == TopologyKind.SEQ2SEQ;
  }

  /** The cell of the decoder (and of the encoder). */
  public CellKind cell() {
    return decoder.cell();
  }

  /** The decoder's vocabulary, which is also the output layer's size. */
  public InputSpec.Embedding targetEmbedding() {
    return (InputSpec.Embedding) decoder.input();
  }

  /** The encoder's vocabulary (seq2seq only). */
  public InputSpec.Embedding sourceEmbedding() {
    return (InputSpec.Embedding) encoder.orElseThrow().input();
  }

  /** Size of the output layer: the decoder's vocabulary. */
  public int output() {
    return targetEmbedding().vocab();
  }

  /** Whether a bidirectional encoder reaches the decoder through {@code bridge} (and {@code bridge_c}). */
  public boolean bridged() {
    return encoder.map(StackSpec::bidirectional).orElse(false);
  }

  /**
   * Every parameter in PyTorch's {@code state_dict} order. One-to-many: init, embedding, rnn, fc.
   * Seq2seq: src_embedding, encoder, bridge, bridge_c, tgt_embedding, decoder, fc.
   */
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> out = new ArrayList<>();
    int hidden = decoder.hidden();
    if (seq2seq()) {
      out.add(ParameterSpec.embedding("src_embedding", "sourceEmbedding", sourceEmbedding(), "SOURCE_VOCAB",
          "SOURCE_EMBEDDING_DIM"));
      out.addAll(encoder.get().parameters());
      if (bridged()) {
        out.addAll(ParameterSpec.linear("bridge", "bridge", 2 * hidden, hidden, "DIRECTIONS * HIDDEN", "HIDDEN"));
        if (decoder.cell().hasCellState()) {
          out.addAll(ParameterSpec.linear("bridge_c", "bridgeC", 2 * hidden, hidden, "DIRECTIONS * HIDDEN",
              "HIDDEN"));
        }
      }
      out.add(ParameterSpec.embedding("tgt_embedding", "targetEmbedding", targetEmbedding(), "VOCAB",
          "EMBEDDING_DIM"));
    } else {
      out.addAll(ParameterSpec.linear("init", "init", condition, decoder.layers() * hidden, "CONDITION",
          "LAYERS * HIDDEN"));
      out.add(ParameterSpec.embedding("embedding", "embedding", targetEmbedding(), "VOCAB", "EMBEDDING_DIM"));
    }
    out.addAll(decoder.parameters());
    out.addAll(ParameterSpec.linear("fc", "fc", hidden, output(), "HIDDEN", "VOCAB"));
    return List.copyOf(out);
  }

  /** Total number of trainable scalars. */
  public long parameterCount() {
    return parameters().stream().mapToLong(ParameterSpec::size).sum();
  }
}
