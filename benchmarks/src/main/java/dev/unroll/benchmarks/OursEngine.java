package dev.unroll.benchmarks;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A generated model. */
final class OursEngine implements Engine {
  private final RecurrentModel model;
  private final INDArray x;
  private final INDArray y;

  OursEngine(RecurrentModel model, INDArray x, INDArray y) {
    this.model = model;
    this.x = x;
    this.y = y;
  }

  @Override
  public INDArray forward() {
    return model.forward(x);
  }

  /** The gradients, released once read, as {@code Trainer} releases them after each step. */
  @Override
  public double forwardBackward() {
    Gradients g = model.gradients(x, y);
    g.release();
    return g.loss();
  }

  @Override
  public double trainStep() {
    return SgdStep.run(model, x, y, SgdStep.LEARNING_RATE);
  }
}
