package dev.unroll.training.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shared update of {@link Adam} and {@link AdamW}, as {@code torch.optim.Adam}'s single-tensor
 * path, in one pass over each parameter's rows ({@link Rows}): nothing allocated per step.
 */
abstract class AdamCore extends BaseOptimizer {

  final double beta1;
  final double beta2;
  final double eps;
  final double weightDecay;
  final boolean amsgrad;
  private final boolean decoupled;
  private static final int P = 0;
  private static final int G = 1;
  private static final int M = 2;
  private static final int V = 3;
  private static final int MAX = 4;
  private final Rows rows = new Rows(5);

  AdamCore(AdamSettings<?> s, boolean decoupled) {
    super(s.lr, "exp_avg", "exp_avg_sq", "max_exp_avg_sq");
    this.beta1 = check("beta1", s.beta1, 0, Math.nextDown(1.0));
    this.beta2 = check("beta2", s.beta2, 0, Math.nextDown(1.0));
    this.eps = check("eps", s.eps, 0, Double.MAX_VALUE);
    this.weightDecay = check("weightDecay", s.weightDecay, 0, Double.MAX_VALUE);
    this.amsgrad = s.amsgrad;
    this.decoupled = decoupled;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(lr=" + learningRate() + ", betas=(" + beta1 + ", " + beta2
        + "), eps=" + eps + ", weightDecay=" + weightDecay + ", amsgrad=" + amsgrad + ")";
  }

  @Override
  final void update(String name, INDArray p, INDArray grad, int step) {
    double lr = learningRate();
    INDArray m = zerosSlot("exp_avg", name, p);
    INDArray v = zerosSlot("exp_avg_sq", name, p);
    INDArray max = amsgrad ? zerosSlot("max_exp_avg_sq", name, p) : null;
    double shrink = decoupled ? 1 - lr * weightDecay : 1;
    double l2 = decoupled ? 0 : weightDecay;
    double stepSize = lr / (1 - Math.pow(beta1, step));
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    int n = rows.bind(p, grad, m, v, max);
    int width = rows.cols();
    for (int r = 0; r < n; r++) {
      double[] pr = rows.read(P, r);
      double[] gr = rows.read(G, r);
      double[] mr = rows.read(M, r);
      double[] vr = rows.read(V, r);
      double[] maxr = amsgrad ? rows.read(MAX, r) : null;
      for (int k = 0; k < width; k++) {
        // decoupled (AdamW): p = p (1 - lr wd); else the L2 term: g = grad + wd p
        pr[k] *= shrink;
        double g = gr[k] + l2 * pr[k];
        // m = lerp(m, g, 1 - beta1) = m + (1 - beta1) (g - m)
        mr[k] += (1 - beta1) * (g - mr[k]);
        // v = beta2 v + (1 - beta2) g²
        vr[k] = beta2 * vr[k] + (1 - beta2) * g * g;
        double second = vr[k];
        if (amsgrad) {
          maxr[k] = Math.max(maxr[k], vr[k]);
          second = maxr[k];
        }
        // p = p - lr / (1 - beta1^t) · m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
        pr[k] -= stepSize * mr[k] / (Math.sqrt(second) / bc2Sqrt + eps);
      }
      rows.write(P, r);
      rows.write(M, r);
      rows.write(V, r);
      if (amsgrad) {
        rows.write(MAX, r);
      }
    }
  }
}
