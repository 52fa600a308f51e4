package dev.unroll.processor.model;

import java.util.List;

/**
 * One trainable array of the model.
 *
 * @param pytorchName the {@code state_dict} key, e.g. {@code rnn.weight_hh_l0_reverse}
 * @param fieldName   the generated field, e.g. {@code weightHhReverse0}
 * @param shape       PyTorch's shape
 * @param init        how it is initialised
 * @param initBound   the uniform bound (unused for {@link Init#NORMAL})
 */
public record ParameterSpec(String pytorchName, String fieldName, List<Integer> shape, Init init, double initBound) {

  /** PyTorch's default initialisation of each module. */
  public enum Init {
    /** U(−bound, bound). */
    UNIFORM,
    /** N(0, 1), for embeddings. */
    NORMAL
  }

  public ParameterSpec {
    shape = List.copyOf(shape);
  }

  /** A parameter drawn from U(−bound, bound). */
  public static ParameterSpec uniform(String name, String field, List<Integer> shape, double bound) {
    return new ParameterSpec(name, field, shape, Init.UNIFORM, bound);
  }

  /** PyTorch's {@code nn.Linear(in, out)}: weight [out, in] and bias [out], both U(−1/√in, 1/√in). */
  public static List<ParameterSpec> linear(String module, String field, int in, int out) {
    double bound = 1.0 / Math.sqrt(in);
    return List.of(uniform(module + ".weight", field + "Weight", List.of(out, in), bound),
        uniform(module + ".bias", field + "Bias", List.of(out), bound));
  }

  /** PyTorch's {@code nn.Embedding(vocab, dim)}: weight [vocab, dim], N(0, 1). */
  public static ParameterSpec embedding(String module, String field, InputSpec.Embedding e) {
    return new ParameterSpec(module + ".weight", field + "Weight", List.of(e.vocab(), e.dim()), Init.NORMAL, 0);
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
