package dev.unroll.benchmarks;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.internal.Ops;
import dev.unroll.runtime.RecurrentModel;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One plain-SGD training step, {@code param -= lr · grad} on every parameter, the stand-in for a real
 * optimizer in these benchmarks: one in-place {@code axpy} per parameter ({@link Ops#addScaled}), as
 * PyTorch's SGD does one fused update per parameter.
 */
public final class SgdStep {
  /** The learning rate every benchmark uses. */
  public static final double LEARNING_RATE = 0.01;

  private SgdStep() {}

  /**
   * Gradients of {@code (x, y)}, then the update through the live parameter map; returns the loss.
   * The gradients are released afterwards, as {@code Trainer} releases them.
   */
  public static double run(RecurrentModel model, INDArray x, INDArray y, double lr) {
    Gradients g = model.gradients(x, y);
    Map<String, INDArray> params = model.parameters();
    for (Map.Entry<String, INDArray> e : g.asMap().entrySet()) {
      Ops.addScaled(params.get(e.getKey()), -lr, e.getValue());
    }
    g.release();
    return g.loss();
  }
}
