package dev.unroll.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The configuration a generated model was compiled for. Every generated class returns the same
 * value from {@link UnrolledModel#config()}; checkpoints store it so that loading into a model of
 * another configuration can list the differences.
 *
 * @param model         the annotated interface's canonical name
 * @param cell          the recurrent cell
 * @param features      input features per step, or 0 with an embedding
 * @param vocab         embedding vocabulary, or 0 with real-valued features
 * @param embeddingDim  embedding vector length, or 0 with real-valued features
 * @param hidden        state size per layer and direction
 * @param layers        stacked layers
 * @param bidirectional whether each layer also runs backwards in time
 * @param bias          whether the recurrent layers have biases
 * @param dropout       drop probability between stacked layers (training only)
 * @param topology      many-to-one or many-to-many
 * @param output        classes of the output layer (values predicted per sequence or step, for MSE)
 * @param unrollSteps   the fixed sequence length of {@code @Unroll(steps)}, or 0
 * @param unrollFactor  the factor of {@code @Unroll(factor)}, or 0
 * @param loss          the training loss: cross-entropy on logits, or mean squared error on predictions
 */
public record ModelConfig(
    String model,
    CellType cell,
    int features,
    int vocab,
    int embeddingDim,
    int hidden,
    int layers,
    boolean bidirectional,
    boolean bias,
    double dropout,
    Topology topology,
    int output,
    int unrollSteps,
    int unrollFactor,
    LossType loss) {

  public ModelConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(cell, "cell");
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(loss, "loss");
  }

  /** A classifier's configuration: the loss is {@link LossType#CROSS_ENTROPY}. */
  public ModelConfig(String model, CellType cell, int features, int vocab, int embeddingDim, int hidden, int layers,
      boolean bidirectional, boolean bias, double dropout, Topology topology, int output, int unrollSteps,
      int unrollFactor) {
    this(model, cell, features, vocab, embeddingDim, hidden, layers, bidirectional, bias, dropout, topology, output,
        unrollSteps, unrollFactor, LossType.CROSS_ENTROPY);
  }

  /** Whether the model is trained by mean squared error against real-valued targets. */
  public boolean regression() {
    return loss == LossType.MSE;
  }

  /** 2 for a bidirectional model, else 1. */
  public int directions() {
    return bidirectional ? 2 : 1;
  }

  /** Whether the input is token ids looked up in an embedding table. */
  public boolean embedded() {
    return vocab > 0;
  }

  /** The input width of the first recurrent layer: features, or the embedding dimension. */
  public int inputSize() {
    return embedded() ? embeddingDim : features;
  }

  /**
   * The differences from another configuration, one readable line each ("hidden: 128 here, 256 there");
   * empty when the two have the same shapes and math. The unroll mode is not a difference: it changes
   * how time is written out, not the parameters.
   */
  public List<String> differences(ModelConfig other) {
    List<String> out = new ArrayList<>();
    diff(out, "cell", cell, other.cell);
    diff(out, "features", features, other.features);
    diff(out, "vocab", vocab, other.vocab);
    diff(out, "embeddingDim", embeddingDim, other.embeddingDim);
    diff(out, "hidden", hidden, other.hidden);
    diff(out, "layers", layers, other.layers);
    diff(out, "bidirectional", bidirectional, other.bidirectional);
    diff(out, "bias", bias, other.bias);
    diff(out, "dropout", dropout, other.dropout);
    diff(out, "topology", topology, other.topology);
    diff(out, "output", output, other.output);
    diff(out, "loss", loss, other.loss);
    return out;
  }

  private static void diff(List<String> out, String name, Object here, Object there) {
    if (!here.equals(there)) {
      out.add(name + ": " + here + " here, " + there + " there");
    }
  }

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

  /** How a generated model maps an input sequence to outputs. */
  public enum Topology {
    /** One output per sequence, {@code logits [B, out]}. */
    MANY_TO_ONE,
    /** One output per step, {@code logits [B, T, out]}. */
    MANY_TO_MANY,
    /** A sequence from one vector (captioning): the condition sets the initial state, {@code logits [B, T, vocab]}. */
    ONE_TO_MANY,
    /**
     * A sequence from a sequence (translation): an encoder's final state starts a decoder, {@code
     * logits [B, T, vocab]}.
     */
    SEQ2SEQ
  }

  /** The training loss a generated model was compiled for, its {@code @Output(loss = ...)}. */
  public enum LossType {
    /** Softmax cross-entropy against integer class ids ({@code CrossEntropy}); the outputs are logits. */
    CROSS_ENTROPY,
    /** Mean squared error against real-valued targets ({@code MeanSquaredError}); the outputs are predictions. */
    MSE
  }
}
