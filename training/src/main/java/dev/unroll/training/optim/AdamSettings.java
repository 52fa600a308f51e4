package dev.unroll.training.optim;

/**
 * The settings {@link Adam} and {@link AdamW} share, with PyTorch's defaults, for their builders:
 * {@code Adam.builder().lr(3e-3).betas(0.9, 0.98).build()}.
 *
 * @param <B> the builder itself, which each setter returns
 */
public abstract class AdamSettings<B extends AdamSettings<B>> {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weightDecay;
  boolean amsgrad;

  AdamSettings(double weightDecay) {
    this.weightDecay = weightDecay;
  }

  abstract B self();

  /** The learning rate; default 1e-3. */
  public B lr(double lr) {
    this.lr = lr;
    return self();
  }

  /** The decay rates of the first and second moment estimates; default 0.9 and 0.999. */
  public B betas(double beta1, double beta2) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    return self();
  }

  /** Added to the denominator for numerical stability; default 1e-8. */
  public B eps(double eps) {
    this.eps = eps;
    return self();
  }

  /**
   * The weight decay: Adam adds {@code weightDecay · p} to the gradient (default 0); AdamW multiplies
   * the parameters by {@code 1 - lr · weightDecay} every step (default 1e-2).
   */
  public B weightDecay(double weightDecay) {
    this.weightDecay = weightDecay;
    return self();
  }

  /** Whether to use the AMSGrad variant; default false. */
  public B amsgrad(boolean amsgrad) {
    this.amsgrad = amsgrad;
    return self();
  }
}
