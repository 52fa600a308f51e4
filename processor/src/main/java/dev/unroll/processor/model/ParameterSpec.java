package dev.unroll.processor.model;

import java.util.List;

/**
 * One trainable array of the model.
 *
 * @param pytorchName the {@code state_dict} key, e.g. {@code rnn.weight_hh_l0_reverse}
 * @param fieldName   the generated field, e.g. {@code weightHhReverse0}
 * @param shape       PyTorch's shape
 * @param dims        the same shape in the generated class's constants, e.g. {@code GATES * HIDDEN}, {@code FEATURES}
 * @param layer       the recurrent layer and direction it belongs to, or null (embedding, output layer, bridge)
 * @param init        how it is initialised
 * @param initBound   the uniform bound (unused for {@link Init#NORMAL})
 * @param layerInput  whether it is a recurrent layer's input weight {@code weight_ih}, whose last
 *                    dimension is the layer's input width
 */
public record ParameterSpec(String pytorchName, String fieldName, List<Integer> shape, List<String> dims,
    LayerSpec layer, Init init, double initBound, boolean layerInput) {

  /** PyTorch's default initialisation of each module. */
  public enum Init {
    /** U(−bound, bound). */
    UNIFORM,
    /** N(0, 1), for embeddings. */
    NORMAL
  }

  public ParameterSpec {
    shape = List.copyOf(shape);
    dims = List.copyOf(dims);
    if (dims.size() != shape.size()) {
      throw new IllegalArgumentException(pytorchName + ": shape " + shape + " but dims " + dims);
    }
  }

  /** A parameter of recurrent layer {@code layer} (or of none), drawn from U(−bound, bound). */
  public static ParameterSpec uniform(String name, String field, List<Integer> shape, List<String> dims,
      LayerSpec layer, double bound) {
    return new ParameterSpec(name, field, shape, dims, layer, Init.UNIFORM, bound, false);
  }

  /** Recurrent layer {@code layer}'s input weight {@code weight_ih}, drawn from U(−bound, bound). */
  public static ParameterSpec layerInput(String name, String field, List<Integer> shape, List<String> dims,
      LayerSpec layer, double bound) {
    return new ParameterSpec(name, field, shape, dims, layer, Init.UNIFORM, bound, true);
  }

  /**
   * PyTorch's {@code nn.Linear(in, out)}: weight [out, in] and bias [out], both U(−1/√in, 1/√in);
   * {@code inDim} and {@code outDim} name the sizes in the generated class's constants.
   */
  public static List<ParameterSpec> linear(String module, String field, int in, int out, String inDim, String outDim) {
    double bound = 1.0 / Math.sqrt(in);
    return List.of(uniform(module + ".weight", field + "Weight", List.of(out, in), List.of(outDim, inDim), null, bound),
        uniform(module + ".bias", field + "Bias", List.of(out), List.of(outDim), null, bound));
  }

  /** PyTorch's {@code nn.Embedding(vocab, dim)}: weight [vocab, dim], N(0, 1), as {@code [vocabDim, dimDim]}. */
  public static ParameterSpec embedding(String module, String field, InputSpec.Embedding e, String vocabDim,
      String dimDim) {
    return new ParameterSpec(module + ".weight", field + "Weight", List.of(e.vocab(), e.dim()),
        List.of(vocabDim, dimDim), null, Init.NORMAL, 0, false);
  }

  /** The PyTorch module that owns it: {@code rnn} for {@code rnn.weight_hh_l0}. */
  public String module() {
    return pytorchName.substring(0, pytorchName.indexOf('.'));
  }

  /** Number of scalars. */
  public long size() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
