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
  /** Adam, lr 2e-3. */
  ADAM(2e-3),
  /** AdamW (decoupled weight decay 1e-2), lr 2e-3. */
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

  /** The learning rate used when {@code --lr} is not given. */
  public double defaultLearningRate() {
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
