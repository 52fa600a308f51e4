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
    super(b, true);
  }

  /** A builder with PyTorch's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Named settings of {@link AdamW}, with PyTorch's defaults (weight decay 1e-2). */
  public static final class Builder extends AdamSettings<Builder> {
    private Builder() {
      super(1e-2);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The optimizer. */
    public AdamW build() {
      return new AdamW(this);
    }
  }
}
