package dev.unroll.training.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adagrad, as {@code torch.optim.Adagrad}:
 *
 * <pre>
 * g = grad + weightDecay * p
 * clr = lr / (1 + (t - 1) * lrDecay)
 * sum = sum + g²                       (sum starts at initialAccumulatorValue)
 * p = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 *
 * State slot: {@code sum}. Defaults: lr 1e-2, lr decay 0, weight decay 0, initial accumulator 0,
 * eps 1e-10.
 */
public final class Adagrad extends BaseOptimizer {

  private final double lrDecay;
  private final double weightDecay;
  private final double initialAccumulatorValue;
  private static final int P = 0;
  private static final int G = 1;
  private static final int SUM = 2;
  /** Parameter, gradient and sum rows, updated in one pass (nothing allocated per step). */
  private final Rows rows = new Rows(3);
  private final double eps;

  /** Adagrad with PyTorch's defaults. */
  public Adagrad() {
    this(builder());
  }

  /** Adagrad with learning rate {@code lr} and PyTorch's other defaults. */
  public Adagrad(double lr) {
    this(builder().lr(lr));
  }

  private Adagrad(Builder b) {
    super(b.lr, "sum");
    this.lrDecay = check("lrDecay", b.lrDecay, 0, Double.MAX_VALUE);
    this.weightDecay = check("weightDecay", b.weightDecay, 0, Double.MAX_VALUE);
    this.initialAccumulatorValue =
        check("initialAccumulatorValue", b.initialAccumulatorValue, 0, Double.MAX_VALUE);
    this.eps = check("eps", b.eps, 0, Double.MAX_VALUE);
  }

  /** A builder with PyTorch's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  void update(String name, INDArray p, INDArray grad, int step) {
    INDArray sum = existingSlot("sum", name, p);
    if (sum == null) {
      sum = zerosSlot("sum", name, p).addi(initialAccumulatorValue);
    }
    double clr = learningRate() / (1 + (step - 1) * lrDecay);
    int n = rows.bind(p, grad, sum);
    int width = rows.cols();
    for (int r = 0; r < n; r++) {
      double[] pr = rows.read(P, r);
      double[] gr = rows.read(G, r);
      double[] sr = rows.read(SUM, r);
      for (int k = 0; k < width; k++) {
        double g = gr[k] + weightDecay * pr[k];
        sr[k] += g * g;
        pr[k] -= clr * g / (Math.sqrt(sr[k]) + eps);
      }
      rows.write(P, r);
      rows.write(SUM, r);
    }
  }

  @Override
  public String toString() {
    return "Adagrad(lr=" + learningRate() + ", lrDecay=" + lrDecay + ", weightDecay=" + weightDecay
        + ", initialAccumulatorValue=" + initialAccumulatorValue + ", eps=" + eps + ")";
  }

  /** Named settings of {@link Adagrad}, with PyTorch's defaults. */
  public static final class Builder {
    private double lr = 1e-2;
    private double lrDecay;
    private double weightDecay;
    private double initialAccumulatorValue;
    private double eps = 1e-10;

    private Builder() {}

    /** The learning rate; default 1e-2. */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /** The learning-rate decay: step t uses lr / (1 + (t - 1) * lrDecay); default 0. */
    public Builder lrDecay(double lrDecay) {
      this.lrDecay = lrDecay;
      return this;
    }

    /** L2 penalty added to the gradient; default 0. */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** The starting value of the squared-gradient sums; default 0. */
    public Builder initialAccumulatorValue(double initialAccumulatorValue) {
      this.initialAccumulatorValue = initialAccumulatorValue;
      return this;
    }

    /** Added to the denominator for numerical stability; default 1e-10. */
    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /** The optimizer. */
    public Adagrad build() {
      return new Adagrad(this);
    }
  }
}
