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
    super(b, false);
  }

  /** A builder with PyTorch's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Named settings of {@link Adam}, with PyTorch's defaults (weight decay 0). */
  public static final class Builder extends AdamSettings<Builder> {
    private Builder() {
      super(0);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The optimizer. */
    public Adam build() {
      return new Adam(this);
    }
  }
}
