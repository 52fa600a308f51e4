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

  /** Number of scalars. */
  public long size() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
