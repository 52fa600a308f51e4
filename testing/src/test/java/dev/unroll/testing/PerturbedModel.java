package dev.unroll.testing;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.RecurrentModel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model with a deliberately wrong backward pass: it delegates everything to a generated model, but
 * its {@code gradients(...)} adds {@code delta} to one entry of one parameter's gradient and
 * {@code lossShift} to the loss.
 */
final class PerturbedModel implements RecurrentModel {
  private final RecurrentModel delegate;
  private final String parameter;
  private final long[] entry;
  private final double delta;
  private final double lossShift;

  PerturbedModel(RecurrentModel delegate, String parameter, long[] entry, double delta) {
    this(delegate, parameter, entry, delta, 0);
  }

  PerturbedModel(RecurrentModel delegate, String parameter, long[] entry, double delta, double lossShift) {
    this.delegate = delegate;
    this.parameter = parameter;
    this.entry = entry.clone();
    this.delta = delta;
    this.lossShift = lossShift;
  }

  @Override
  public INDArray forward(INDArray x) {
    return delegate.forward(x);
  }

  @Override
  public INDArray forward(INDArray x, INDArray mask) {
    return delegate.forward(x, mask);
  }

  @Override
  public Gradients gradients(INDArray x, INDArray y) {
    return perturb(delegate.gradients(x, y));
  }

  @Override
  public Gradients gradients(INDArray x, INDArray y, INDArray mask) {
    return perturb(delegate.gradients(x, y, mask));
  }

  private Gradients perturb(Gradients g) {
    Map<String, INDArray> byName = new LinkedHashMap<>(g.asMap());
    INDArray wrong = byName.get(parameter).dup();
    wrong.putScalar(entry, wrong.getDouble(entry) + delta);
    byName.put(parameter, wrong);
    return new Gradients(g.loss() + lossShift, byName);
  }

  @Override
  public RecurrentModel replica() {
    return new PerturbedModel(delegate.replica(), parameter, entry, delta, lossShift);
  }

  @Override
  public Map<String, INDArray> parameters() {
    return delegate.parameters();
  }

  @Override
  public DataType dataType() {
    return delegate.dataType();
  }

  @Override
  public ModelConfig config() {
    return delegate.config();
  }

  @Override
  public void seedDropout(long seed) {
    delegate.seedDropout(seed);
  }
}
