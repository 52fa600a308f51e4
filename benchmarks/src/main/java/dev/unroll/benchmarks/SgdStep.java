package dev.unroll.benchmarks;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One plain-SGD training step, {@code param -= lr · grad} on every parameter, the stand-in for a real
 * optimizer in these benchmarks: it costs one scaled copy and one in-place subtraction per parameter.
 */
public final class SgdStep {
  /** The learning rate every benchmark uses. */
  public static final double LEARNING_RATE = 0.01;

  private SgdStep() {}

  /** Gradients of {@code (x, y)}, then the update through the live parameter map; returns the loss. */
  public static double run(RecurrentModel model, INDArray x, INDArray y, double lr) {
    Gradients g = model.gradients(x, y);
    Map<String, INDArray> params = model.parameters();
    for (Map.Entry<String, INDArray> e : g.asMap().entrySet()) {
      params.get(e.getKey()).subi(e.getValue().mul(lr));
    }
    return g.loss();
  }
}
