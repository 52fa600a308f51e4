package dev.unroll.training.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The shared update of {@link Adam} and {@link AdamW}, as {@code torch.optim.Adam}'s single-tensor path. */
abstract class AdamCore extends BaseOptimizer {

  final double beta1;
  final double beta2;
  final double eps;
  final double weightDecay;
  final boolean amsgrad;
  private final boolean decoupled;

  AdamCore(
      double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
      boolean decoupled) {
    super(lr, "exp_avg", "exp_avg_sq", "max_exp_avg_sq");
    this.beta1 = check("beta1", beta1, 0, Math.nextDown(1.0));
    this.beta2 = check("beta2", beta2, 0, Math.nextDown(1.0));
    this.eps = check("eps", eps, 0, Double.MAX_VALUE);
    this.weightDecay = check("weightDecay", weightDecay, 0, Double.MAX_VALUE);
    this.amsgrad = amsgrad;
    this.decoupled = decoupled;
  }

  @Override
  final void update(String name, INDArray p, INDArray grad, int step) {
    double lr = learningRate();
    INDArray g = grad;
    if (decoupled) {
      if (weightDecay != 0) {
        p.muli(1 - lr * weightDecay);
      }
    } else {
      g = withWeightDecay(grad, p, weightDecay);
    }
    INDArray m = zerosSlot("exp_avg", name, p);
    INDArray v = zerosSlot("exp_avg_sq", name, p);
    // m = lerp(m, g, 1 - beta1) = m + (1 - beta1) (g - m)
    m.addi(g.sub(m).muli(1 - beta1));
    // v = beta2 v + (1 - beta2) g²
    v.muli(beta2).addi(g.mul(g).muli(1 - beta2));
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    double stepSize = lr / bc1;
    INDArray second = v;
    if (amsgrad) {
      INDArray max = zerosSlot("max_exp_avg_sq", name, p);
      Transforms.max(max, v, false);
      second = max;
    }
    INDArray denom = Transforms.sqrt(second, true).divi(bc2Sqrt).addi(eps);
    p.subi(m.div(denom).muli(stepSize));
  }
}
