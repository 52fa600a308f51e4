package dev.unroll.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.TypeElement;

/**
 * A complete, validated model that reads sequences into outputs: many-to-one and many-to-many
 * (sequence classifiers, taggers, language models, regressors), as opposed to a {@link SequenceSpec}
 * that writes them. Everything the code generator needs and nothing it must check.
 * Derived facts (layers, parameter names and shapes, counts) are methods, so that the Javadoc header,
 * the constants and the tests can never disagree.
 *
 * @param origin         the annotated interface; kept for the Filer only (may be null in tests)
 * @param packageName    the interface's package
 * @param interfaceName  the interface's name relative to its package, {@code Outer.Inner}
 * @param cell           the cell
 * @param hidden         state size per layer and direction
 * @param layers         stacked layers
 * @param bidirectional  whether every layer also runs in reverse
 * @param bias           whether the recurrent layers have biases
 * @param dropout        drop probability between stacked layers, in training
 * @param input          features or embedding
 * @param topology       many-to-one or many-to-many
 * @param output         classes of the output layer (values predicted, for {@link LossKind#MSE})
 * @param unroll         how time is written out
 * @param loss           the training loss on the output layer
 */
public record ReaderSpec(
    TypeElement origin,
    String packageName,
    String interfaceName,
    CellKind cell,
    int hidden,
    int layers,
    boolean bidirectional,
    boolean bias,
    double dropout,
    InputSpec input,
    TopologyKind topology,
    int output,
    UnrollPlan unroll,
    LossKind loss) implements Spec {

  public ReaderSpec {
    Objects.requireNonNull(packageName);
    Objects.requireNonNull(interfaceName);
    Objects.requireNonNull(cell);
    Objects.requireNonNull(input);
    Objects.requireNonNull(topology);
    Objects.requireNonNull(unroll);
    Objects.requireNonNull(loss);
    assert hidden > 0 && layers > 0 && output > 0;
    assert dropout >= 0 && dropout < 1;
  }

  /** A classifier or tagger: the loss is softmax cross-entropy. */
  public ReaderSpec(TypeElement origin, String packageName, String interfaceName, CellKind cell, int hidden, int layers,
      boolean bidirectional, boolean bias, double dropout, InputSpec input, TopologyKind topology, int output,
      UnrollPlan unroll) {
    this(origin, packageName, interfaceName, cell, hidden, layers, bidirectional, bias, dropout, input, topology, output,
        unroll, LossKind.CROSS_ENTROPY);
  }

  /** Whether the output layer is trained by mean squared error (its outputs are the predictions). */
  public boolean regression() {
    return loss == LossKind.MSE;
  }

  /** {@code UnrolledActivityClassifier}; for a nested {@code Outer.Inner}, {@code UnrolledOuter_Inner}. */
  public String generatedSimpleName() {
    return "Unrolled" + interfaceName.replace('.', '_');
  }

  /** 2 for a bidirectional model, else 1. */
  public int directions() {
    return stack().directions();
  }

  /** Width of the top layer's output, read by the output layer: hidden × directions. */
  public int topWidth() {
    return stack().topWidth();
  }

  /** Whether dropout acts anywhere: a positive rate between at least two layers. */
  public boolean usesDropout() {
    return stack().usesDropout();
  }

  /** The recurrent stack, PyTorch's {@code rnn} module. */
  public StackSpec stack() {
    return new StackSpec(StackRole.RNN, cell, hidden, layers, bidirectional, bias, dropout, input);
  }

  /** Every layer and direction, layer by layer, forward before reverse. */
  public List<LayerSpec> layerSpecs() {
    return stack().layerSpecs();
  }

  /** The directions of one layer. */
  public List<LayerSpec> layer(int index) {
    return stack().layer(index);
  }

  /**
   * Every parameter in declaration order, which is PyTorch's {@code state_dict} order:
   * embedding, then per layer and direction {@code weight_ih, weight_hh, bias_ih, bias_hh}, then fc.
   */
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> out = new ArrayList<>();
    if (input instanceof InputSpec.Embedding e) {
      out.add(ParameterSpec.embedding("embedding", "embedding", e, "VOCAB", "EMBEDDING_DIM"));
    }
    out.addAll(stack().parameters());
    out.addAll(ParameterSpec.linear("fc", "fc", topWidth(), output, bidirectional ? "DIRECTIONS * HIDDEN" : "HIDDEN",
        "OUTPUT"));
    return List.copyOf(out);
  }

  /** Total number of trainable scalars. */
  public long parameterCount() {
    return parameters().stream().mapToLong(ParameterSpec::size).sum();
  }
}
