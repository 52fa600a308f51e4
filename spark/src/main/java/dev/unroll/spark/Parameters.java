package dev.unroll.spark;

import java.io.Serializable;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's parameters as Spark broadcasts them: names in declaration order and a {@link Block} each
 * (primitive arrays: float64 models as {@code double[]}, float32 ones as {@code float[]}).
 */
public final class Parameters implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] names;
  private final Block[] blocks;

  private Parameters(String[] names, Block[] blocks) {
    this.names = names;
    this.blocks = blocks;
  }

  /** A copy of {@code parameters} (a model's {@code parameters()}). */
  public static Parameters of(Map<String, INDArray> parameters) {
    String[] names = parameters.keySet().toArray(new String[0]);
    Block[] blocks = new Block[names.length];
    for (int i = 0; i < names.length; i++) {
      blocks[i] = Block.of(parameters.get(names[i]));
    }
    return new Parameters(names, blocks);
  }

  /** The bytes of all elements: what one copy of the broadcast moves, headers aside. */
  public long bytes() {
    long n = 0;
    for (Block b : blocks) {
      n += b.bytes();
    }
    return n;
  }

  /**
   * Writes every parameter into the live arrays of a model of the same class.
   *
   * @throws IllegalArgumentException if the names or shapes differ
   */
  public void copyInto(Map<String, INDArray> target) {
    if (target.size() != names.length) {
      throw new IllegalArgumentException(
          "the model has " + target.size() + " parameters " + target.keySet() + ", the broadcast "
              + names.length);
    }
    for (int i = 0; i < names.length; i++) {
      INDArray t = target.get(names[i]);
      if (t == null) {
        throw new IllegalArgumentException(
            "the broadcast has parameter " + names[i] + " but the model has " + target.keySet());
      }
      blocks[i].copyInto(t);
    }
  }
}
