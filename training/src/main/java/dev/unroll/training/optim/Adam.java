package dev.unroll.training.optim;

/**
 * Adam, as {@code torch.optim.Adam}, with weight decay as an L2 term added to the gradient and optional
 * AMSGrad:
 *
 * <pre>
 * g = grad + weightDecay * p
 * m = beta1 * m + (1 - beta1) * g          v = beta2 * v + (1 - beta2) * g²
 * vmax = max(vmax, v)                      (AMSGrad only; then v̂ uses vmax)
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * State slots: {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} (AMSGrad only). Defaults:
 * lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0, no AMSGrad.
 */
public final class Adam extends AdamCore {

  /** Adam with PyTorch's defaults. */
  public Adam() {
    this(builder());
  }

  /** Adam with learning rate {@code lr} and PyTorch's other defaults. */
  public Adam(double lr) {
    this(builder().lr(lr));
  }

  private Adam(Builder b) {
    super(b.lr, b.beta1, b.beta2, b.eps, b.weightDecay, b.amsgrad, false);
  }

  /** A builder with PyTorch's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "Adam(lr=" + learningRate() + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps
        + ", weightDecay=" + weightDecay + ", amsgrad=" + amsgrad + ")";
  }

  /** Named settings of {@link Adam}, with PyTorch's defaults. */
  public static final class Builder {
    private double lr = 1e-3;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private double weightDecay;
    private boolean amsgrad;

    private Builder() {}

    /** The learning rate; default 1e-3. */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /** The decay rates of the first and second moment estimates; default 0.9 and 0.999. */
    public Builder betas(double beta1, double beta2) {
      this.beta1 = beta1;
      this.beta2 = beta2;
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

    /** Whether to use the AMSGrad variant; default false. */
    public Builder amsgrad(boolean amsgrad) {
      this.amsgrad = amsgrad;
      return this;
    }

    /** The optimizer. */
    public Adam build() {
      return new Adam(this);
    }
  }
}
