package dev.unroll.training;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.ModelConfig.CellType;
import dev.unroll.runtime.ModelConfig.Topology;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.runtime.internal.CrossEntropy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A hand-written stand-in for a generated stateful language model, small enough to reason about in
 * tests of the drivers (TBPTT, trainer, sampler).
 *
 * <p>One parameter {@code w} [1]. The state {@code h} [B, 1] counts the valid steps seen so far. The
 * logits of a step with input token {@code x} are {@code w} for class 0, {@code PEAK} for class
 * {@code (x + 1) mod V}, and 0 otherwise (added where they coincide). The loss is the mean cross-entropy
 * and the gradient of w is exact (or its negation with {@link #ascend}). Every gradients call is
 * recorded with the state it started from.
 */
final class FakeStatefulModel implements StatefulModel<FakeStatefulModel.State> {

  static final int V = 3;
  static final double PEAK = 2.0;
  static final ModelConfig CONFIG =
      new ModelConfig("Fake", CellType.RNN_TANH, 0, V, 2, 1, 1, false, true, 0,
          Topology.MANY_TO_MANY, V, 0, 0);

  /** The fake's state: steps seen per row. */
  record State(INDArray h) implements RecurrentState {
    @Override
    public List<INDArray> arrays() {
      return List.of(h);
    }
  }

  /** One gradients call: the state it started from and its k2. */
  record Call(double[] initial, int steps, int backSteps) {}

  private final Map<String, INDArray> parameters;
  final List<Call> calls;
  final List<FakeStatefulModel> replicas;
  /** The gradients call (from 1) that returns a NaN loss, or 0. */
  int nanLossAtCall;
  /** The gradients call (from 1) that returns an infinite gradient, or 0. */
  int infGradientAtCall;
  /** Whether the returned gradient is negated (so SGD makes the loss worse). */
  boolean ascend;
  int forwardCalls;

  FakeStatefulModel(double w) {
    parameters = new LinkedHashMap<>();
    parameters.put("w", Nd4j.createFromArray(w));
    calls = new ArrayList<>();
    replicas = new ArrayList<>();
  }

  private FakeStatefulModel(FakeStatefulModel source) {
    parameters = source.parameters;
    calls = new ArrayList<>();
    replicas = new ArrayList<>();
    source.replicas.add(this);
  }

  double w() {
    return parameters.get("w").getDouble(0);
  }

  @Override
  public Map<String, INDArray> parameters() {
    return parameters;
  }

  @Override
  public DataType dataType() {
    return DataType.DOUBLE;
  }

  @Override
  public ModelConfig config() {
    return CONFIG;
  }

  @Override
  public FakeStatefulModel replica() {
    return new FakeStatefulModel(this);
  }

  @Override
  public State initialState(int batch) {
    return new State(Nd4j.zeros(DataType.DOUBLE, batch, 1));
  }

  private static int[] lengths(INDArray x, INDArray mask) {
    int b = (int) x.size(0);
    int t = (int) x.size(1);
    int[] out = new int[b];
    for (int i = 0; i < b; i++) {
      out[i] = t;
      if (mask != null) {
        out[i] = (int) mask.getRow(i).sumNumber().doubleValue();
      }
    }
    return out;
  }

  private INDArray logits(INDArray x) {
    int b = (int) x.size(0);
    int t = (int) x.size(1);
    INDArray logits = Nd4j.zeros(DataType.DOUBLE, b, t, V);
    for (int i = 0; i < b; i++) {
      for (int s = 0; s < t; s++) {
        long token = x.getLong(i, s);
        logits.putScalar(new long[] {i, s, 0}, w());
        long next = (token + 1) % V;
        logits.putScalar(new long[] {i, s, next}, logits.getDouble(i, s, next) + PEAK);
      }
    }
    return logits;
  }

  private State after(State initial, int[] lengths) {
    INDArray h = initial.h().dup();
    for (int i = 0; i < lengths.length; i++) {
      h.putScalar(i, 0, h.getDouble(i, 0) + lengths[i]);
    }
    return new State(h);
  }

  @Override
  public Step<State> forward(INDArray x, INDArray mask, State initial) {
    forwardCalls++;
    return new Step<>(logits(x), after(initial, lengths(x, mask)));
  }

  @Override
  public Chunk<State> gradients(INDArray x, INDArray y, INDArray mask, State initial, int backSteps) {
    calls.add(new Call(initial.h().dup().data().asDouble(), (int) x.size(1), backSteps));
    int b = (int) x.size(0);
    int t = (int) x.size(1);
    INDArray rows = logits(x).reshape(b * t, V);
    long[] targets = y.dup().data().asLong();
    if (mask != null) {
      double[] m = mask.castTo(DataType.DOUBLE).dup().data().asDouble();
      for (int i = 0; i < targets.length; i++) {
        if (m[i] == 0) {
          targets[i] = CrossEntropy.IGNORE;
        }
      }
    }
    INDArray dLogits = Nd4j.zeros(DataType.DOUBLE, b * t, V);
    double loss = CrossEntropy.lossAndGradient(rows, targets, dLogits);
    double dw = dLogits.getColumn(0).sumNumber().doubleValue() * (ascend ? -1 : 1);
    int call = calls.size();
    if (call == nanLossAtCall) {
      loss = Double.NaN;
    }
    if (call == infGradientAtCall) {
      dw = Double.POSITIVE_INFINITY;
    }
    Gradients g = new Gradients(loss, Map.of("w", Nd4j.createFromArray(dw)));
    return new Chunk<>(g, after(initial, lengths(x, mask)));
  }

  @Override
  public INDArray forward(INDArray x) {
    return forward(x, null);
  }

  @Override
  public INDArray forward(INDArray x, INDArray mask) {
    return forward(x, mask, initialState((int) x.size(0))).logits();
  }

  @Override
  public Gradients gradients(INDArray x, INDArray y) {
    return gradients(x, y, null);
  }

  @Override
  public Gradients gradients(INDArray x, INDArray y, INDArray mask) {
    return gradients(x, y, mask, initialState((int) x.size(0)), Integer.MAX_VALUE).gradients();
  }
}
