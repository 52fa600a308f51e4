package dev.unroll.examples.charlm;

import dev.unroll.training.optim.Adagrad;
import dev.unroll.training.optim.Adam;
import dev.unroll.training.optim.AdamW;
import dev.unroll.training.optim.Optimizer;
import dev.unroll.training.optim.RmsProp;
import dev.unroll.training.optim.Sgd;
import java.util.Locale;

/** The optimizers {@code --optimizer} offers, each with a learning rate that suits a character LSTM. */
public enum OptimizerChoice {
  /** Adam, lr 8e-3 for the small model, 2e-3 for the others. */
  ADAM(2e-3),
  /** AdamW (decoupled weight decay 1e-2), lr as Adam's. */
  ADAMW(2e-3),
  /** RMSprop with char-rnn's smoothing 0.95, lr 2e-3. */
  RMSPROP(2e-3),
  /** Adagrad, lr 0.05. */
  ADAGRAD(5e-2),
  /** Plain SGD, lr 1 (with gradient clipping, as Zaremba et al.). */
  SGD(1.0);

  private final double defaultLr;

  OptimizerChoice(double defaultLr) {
    this.defaultLr = defaultLr;
  }

  /** Adam's learning rate for the small model, chosen by five-minute runs (see the README). */
  public static final double SMALL_ADAM_LR = 8e-3;

  /**
   * The learning rate used when {@code --lr} is not given. Adam and AdamW train the small model
   * fastest at 8e-3 (five-minute runs: 3e-3 gave 1.76 nats/char, 5e-3 1.71, 8e-3 1.66, 1.2e-2 1.65);
   * the larger models get the conventional 2e-3.
   */
  public double defaultLearningRate(ModelChoice model) {
    if ((this == ADAM || this == ADAMW) && model == ModelChoice.SMALL) {
      return SMALL_ADAM_LR;
    }
    return defaultLr;
  }

  /** A fresh optimizer with learning rate {@code lr}. */
  public Optimizer create(double lr) {
    return switch (this) {
      case ADAM -> new Adam(lr);
      case ADAMW -> new AdamW(lr);
      case RMSPROP -> RmsProp.builder().lr(lr).alpha(0.95).build();
      case ADAGRAD -> new Adagrad(lr);
      case SGD -> new Sgd(lr);
    };
  }

  /** The optimizer's class name as a checkpoint records it ({@code Adam}, {@code RmsProp}, ...). */
  public String className() {
    return switch (this) {
      case ADAM -> "Adam";
      case ADAMW -> "AdamW";
      case RMSPROP -> "RmsProp";
      case ADAGRAD -> "Adagrad";
      case SGD -> "Sgd";
    };
  }

  /** The choice whose optimizer class is {@code simpleName}. */
  public static OptimizerChoice forClassName(String simpleName) {
    for (OptimizerChoice c : values()) {
      if (c.className().equals(simpleName)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no optimizer choice for " + simpleName);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
