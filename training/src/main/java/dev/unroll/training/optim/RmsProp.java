package dev.unroll.training.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * RMSprop, as {@code torch.optim.RMSprop}:
 *
 * <pre>
 * g = grad + weightDecay * p
 * s = alpha * s + (1 - alpha) * g²
 * centered: a = alpha * a + (1 - alpha) * g;   d = sqrt(s - a²) + eps
 * else:                                        d = sqrt(s) + eps
 * momentum > 0: buf = momentum * buf + g / d;  p = p - lr * buf
 * else:                                        p = p - lr * g / d
 * </pre>
 *
 * State slots: {@code square_avg}, {@code grad_avg} (centered only), {@code momentum_buffer} (momentum
 * only), all starting at zero. Defaults: lr 1e-2, alpha 0.99, eps 1e-8, weight decay 0, momentum 0,
 * not centered.
 */
public final class RmsProp extends BaseOptimizer {

  private final double alpha;
  private final double eps;
  private final double weightDecay;
  private final double momentum;
  private final boolean centered;
  private static final int P = 0;
  private static final int G = 1;
  private static final int S = 2;
  private static final int A = 3;
  private static final int BUF = 4;
  /** Parameter, gradient and state rows, updated in one pass (nothing allocated per step). */
  private final Rows rows = new Rows(5);

  /** RMSprop with PyTorch's defaults. */
  public RmsProp() {
    this(builder());
  }

  /** RMSprop with learning rate {@code lr} and PyTorch's other defaults. */
  public RmsProp(double lr) {
    this(builder().lr(lr));
  }

  private RmsProp(Builder b) {
    super(b.lr, "square_avg", "grad_avg", "momentum_buffer");
    this.alpha = check("alpha", b.alpha, 0, 1);
    this.eps = check("eps", b.eps, 0, Double.MAX_VALUE);
    this.weightDecay = check("weightDecay", b.weightDecay, 0, Double.MAX_VALUE);
    this.momentum = check("momentum", b.momentum, 0, Double.MAX_VALUE);
    this.centered = b.centered;
  }

  /** A builder with PyTorch's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  void update(String name, INDArray p, INDArray grad, int step) {
    INDArray s = zerosSlot("square_avg", name, p);
    INDArray a = centered ? zerosSlot("grad_avg", name, p) : null;
    INDArray buf = momentum > 0 ? zerosSlot("momentum_buffer", name, p) : null;
    double lr = learningRate();
    int n = rows.bind(p, grad, s, a, buf);
    int width = rows.cols();
    for (int r = 0; r < n; r++) {
      double[] pr = rows.read(P, r);
      double[] gr = rows.read(G, r);
      double[] sr = rows.read(S, r);
      double[] ar = centered ? rows.read(A, r) : null;
      double[] br = momentum > 0 ? rows.read(BUF, r) : null;
      for (int k = 0; k < width; k++) {
        double g = gr[k] + weightDecay * pr[k];
        sr[k] = alpha * sr[k] + (1 - alpha) * g * g;
        double d;
        if (centered) {
          // a = lerp(a, g, 1 - alpha)
          ar[k] += (1 - alpha) * (g - ar[k]);
          d = Math.sqrt(sr[k] - ar[k] * ar[k]) + eps;
        } else {
          d = Math.sqrt(sr[k]) + eps;
        }
        if (momentum > 0) {
          br[k] = momentum * br[k] + g / d;
          pr[k] -= lr * br[k];
        } else {
          pr[k] -= lr * g / d;
        }
      }
      rows.write(P, r);
      rows.write(S, r);
      if (centered) {
        rows.write(A, r);
      }
      if (momentum > 0) {
        rows.write(BUF, r);
      }
    }
  }

  @Override
  public String toString() {
    return "RmsProp(lr=" + learningRate() + ", alpha=" + alpha + ", eps=" + eps + ", weightDecay="
        + weightDecay + ", momentum=" + momentum + ", centered=" + centered + ")";
  }

  /** Named settings of {@link RmsProp}, with PyTorch's defaults. */
  public static final class Builder {
    private double lr = 1e-2;
    private double alpha = 0.99;
    private double eps = 1e-8;
    private double weightDecay;
    private double momentum;
    private boolean centered;

    private Builder() {}

    /** The learning rate; default 1e-2. */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /** The smoothing constant of the squared-gradient average; default 0.99. */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /** Added to the denominator for numerical stability; default 1e-8. */
    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /** L2 penalty added to the gradient; default 0. */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** The momentum factor; default 0 (none). */
    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** Whether to normalise by an estimate of the gradient's variance; default false. */
    public Builder centered(boolean centered) {
      this.centered = centered;
      return this;
    }

    /** The optimizer. */
    public RmsProp build() {
      return new RmsProp(this);
    }
  }
}
