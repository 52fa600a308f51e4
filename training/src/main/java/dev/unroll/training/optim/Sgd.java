package dev.unroll.training.optim;

import dev.unroll.runtime.internal.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, as {@code torch.optim.SGD}:
 *
 * <pre>
 * g = grad + weightDecay * p
 * if momentum != 0:
 *     buf = g                                      (first step: a copy of g, no dampening)
 *     buf = momentum * buf + (1 - dampening) * g   (later steps)
 *     g = nesterov ? g + momentum * buf : buf
 * p = p - lr * g
 * </pre>
 *
 * State slot: {@code momentum_buffer} (only with momentum). Defaults: lr 1e-3 (PyTorch 2's), momentum 0,
 * dampening 0, no Nesterov, weight decay 0.
 */
public final class Sgd extends BaseOptimizer {

  private final double momentum;
  private final double dampening;
  private final boolean nesterov;
  private final double weightDecay;
  private static final int P = 0;
  private static final int G = 1;
  private static final int BUF = 2;
  /** Parameter, gradient and momentum rows, updated in one pass (nothing allocated per step). */
  private final Rows rows = new Rows(3);

  /** Plain SGD with learning rate {@code lr}: {@code p = p - lr * grad}. */
  public Sgd(double lr) {
    this(builder().lr(lr));
  }

  private Sgd(Builder b) {
    super(b.lr, "momentum_buffer");
    this.momentum = check("momentum", b.momentum, 0, Double.MAX_VALUE);
    this.dampening = check("dampening", b.dampening, -Double.MAX_VALUE, Double.MAX_VALUE);
    this.nesterov = b.nesterov;
    this.weightDecay = check("weightDecay", b.weightDecay, 0, Double.MAX_VALUE);
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException(
          "Nesterov momentum requires a momentum > 0 and zero dampening (as in PyTorch)");
    }
  }

  /** A builder with PyTorch's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  void update(String name, INDArray p, INDArray grad, int step) {
    double lr = learningRate();
    if (momentum == 0 && weightDecay == 0) {
      // p = p - lr * grad: one BLAS axpy
      Ops.addScaled(p, -lr, grad);
      return;
    }
    INDArray buf = null;
    boolean first = false;
    if (momentum != 0) {
      buf = existingSlot("momentum_buffer", name, p);
      if (buf == null) {
        buf = zerosSlot("momentum_buffer", name, p);
        first = true;
      }
    }
    int n = rows.bind(p, grad, buf);
    int width = rows.cols();
    for (int r = 0; r < n; r++) {
      double[] pr = rows.read(P, r);
      double[] gr = rows.read(G, r);
      double[] br = buf != null ? rows.read(BUF, r) : null;
      for (int k = 0; k < width; k++) {
        double g = gr[k] + weightDecay * pr[k];
        if (br != null) {
          // the first step takes g itself, without dampening
          br[k] = first ? g : momentum * br[k] + (1 - dampening) * g;
          g = nesterov ? g + momentum * br[k] : br[k];
        }
        pr[k] -= lr * g;
      }
      rows.write(P, r);
      if (br != null) {
        rows.write(BUF, r);
      }
    }
  }

  @Override
  public String toString() {
    return "Sgd(lr=" + learningRate() + ", momentum=" + momentum + ", dampening=" + dampening
        + ", nesterov=" + nesterov + ", weightDecay=" + weightDecay + ")";
  }

  /** Named settings of {@link Sgd}, with PyTorch's defaults. */
  public static final class Builder {
    private double lr = 1e-3;
    private double momentum;
    private double dampening;
    private boolean nesterov;
    private double weightDecay;

    private Builder() {}

    /** The learning rate; default 1e-3. */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /** The momentum factor; default 0 (none). */
    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** The dampening of the momentum; default 0. */
    public Builder dampening(double dampening) {
      this.dampening = dampening;
      return this;
    }

    /** Whether to use Nesterov momentum; default false. */
    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    /** L2 penalty added to the gradient; default 0. */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** The optimizer. */
    public Sgd build() {
      return new Sgd(this);
    }
  }
}
