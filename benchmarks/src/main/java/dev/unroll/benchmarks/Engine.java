package dev.unroll.benchmarks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One implementation timed by {@link SideBySide} on a workload's inputs. Each call returns something
 * so that the work cannot be skipped.
 */
public interface Engine {

  /** Logits of the whole batch, evaluation mode. */
  INDArray forward();

  /** Loss and every parameter's gradient; returns the loss. */
  double forwardBackward();

  /** {@link #forwardBackward()} plus a plain SGD update of every parameter; returns the loss. */
  double trainStep();
}
