package dev.unroll.training.optim;

/**
 * AdamW, as {@code torch.optim.AdamW}: Adam with decoupled weight decay, which shrinks the parameters
 * directly instead of adding an L2 term to the gradient; optional AMSGrad:
 *
 * <pre>
 * p = p * (1 - lr * weightDecay)
 * g = grad
 * m = beta1 * m + (1 - beta1) * g          v = beta2 * v + (1 - beta2) * g²
 * vmax = max(vmax, v)                      (AMSGrad only; then v̂ uses vmax)
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * State slots: {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} (AMSGrad only). Defaults:
 * lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2, no AMSGrad.
 */
public final class AdamW extends AdamCore {

  /** AdamW with PyTorch's defaults. */
  public AdamW() {
    this(builder());
  }

  /** AdamW with learning rate {@code lr} and PyTorch's other defaults. */
  public AdamW(double lr) {
    this(builder().lr(lr));
  }

  private AdamW(Builder b) {
    super(b.lr, b.beta1, b.beta2, b.eps, b.weightDecay, b.amsgrad, true);
  }

  /** A builder with PyTorch's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "AdamW(lr=" + learningRate() + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps
        + ", weightDecay=" + weightDecay + ", amsgrad=" + amsgrad + ")";
  }

  /** Named settings of {@link AdamW}, with PyTorch's defaults. */
  public static final class Builder {
    private double lr = 1e-3;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private double weightDecay = 1e-2;
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

    /** Decoupled weight decay: each step multiplies the parameters by 1 - lr * weightDecay; default 1e-2. */
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
    public AdamW build() {
      return new AdamW(this);
    }
  }
}
