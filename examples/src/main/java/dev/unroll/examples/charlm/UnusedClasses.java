package dev.unroll.examples.charlm;

import dev.unroll.runtime.RecurrentModel;
import dev.unroll.training.Trainer;
import dev.unroll.training.TrainingListener;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Turns a model compiled with 256 output classes into one whose softmax runs over its vocabulary's
 * first V: the output rows of the ids V..255 get weight 0 and bias {@link #BIAS}, so their logits are
 * exactly -10,000.
 *
 * <p>Why that is exact: the cross-entropy subtracts the row's largest logit (a real class's, a few
 * tens at most) before exponentiating, and {@code exp(-10000 + 50)} is 0 in float32 and float64
 * alike. So these classes have probability exactly 0, the loss equals a V-way softmax cross-entropy,
 * and their logits' gradient ({@code softmax - onehot}, no target is ever ≥ V) is exactly 0: their
 * weight and bias rows and their embedding rows (never looked up) get zero gradients, which adds
 * nothing to the global norm that clipping measures, and Adam, RMSprop, Adagrad and SGD move a
 * parameter with zero gradient (and zero moments) by exactly 0. AdamW's decoupled weight decay does
 * shrink every parameter, so {@link #keeper} sets the rows again after each step.
 */
final class UnusedClasses {

  /** The bias of an unused class. */
  static final float BIAS = -1e4f;

  /** The output layer's parameters in every char-lm model. */
  static final String WEIGHT = "fc.weight";
  static final String BIAS_NAME = "fc.bias";

  private UnusedClasses() {}

  /**
   * Sets the rows of the classes {@code used}..C-1 of {@code model}'s output layer (C its output count).
   *
   * @throws IllegalArgumentException if {@code used} is outside [1, C]
   */
  static void exclude(RecurrentModel model, int used) {
    int classes = model.config().output();
    if (used < 1 || used > classes) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "a vocabulary of %d symbols does not fit the model's %d output classes", used, classes));
    }
    if (used == classes) {
      return;
    }
    INDArray w = model.parameters().get(WEIGHT);
    INDArray b = model.parameters().get(BIAS_NAME);
    if (w == null || b == null) {
      throw new IllegalStateException(model.getClass().getSimpleName() + " has no " + WEIGHT + " and "
          + BIAS_NAME + "; its parameters are " + model.parameters().keySet());
    }
    w.get(NDArrayIndex.interval(used, classes), NDArrayIndex.all()).assign(0);
    b.get(NDArrayIndex.interval(used, classes)).assign(BIAS);
  }

  /** A listener that sets the rows again after every training step (for AdamW's weight decay). */
  static TrainingListener keeper(RecurrentModel model, int used) {
    return new TrainingListener() {
      @Override
      public void onIteration(Trainer.Progress p) {
        exclude(model, used);
      }
    };
  }
}
