package dev.unroll.training.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What every optimizer here shares: the step count, the learning rate and named state slots. */
abstract class BaseOptimizer implements Optimizer {

  static final String STEP = "step";
  static final String LR = "lr";

  private double learningRate;
  private int steps;
  /** slot name, then parameter name, to array. */
  private final Map<String, Map<String, INDArray>> slots = new LinkedHashMap<>();

  BaseOptimizer(double learningRate, String... slotNames) {
    setLearningRate(learningRate);
    for (String s : slotNames) {
      slots.put(s, new LinkedHashMap<>());
    }
  }

  /** Updates one parameter in place; {@code step} counts from 1. */
  abstract void update(String name, INDArray param, INDArray grad, int step);

  @Override
  public final void step(Map<String, INDArray> params, Map<String, INDArray> grads) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(grads, "grads");
    check(params, grads);
    steps++;
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      INDArray p = e.getValue();
      INDArray g = grads.get(e.getKey());
      if (g.dataType() != p.dataType()) {
        g = g.castTo(p.dataType());
      }
      if (!Rows.walkable(g)) {
        // a column-major or strided gradient: read from a row-major copy
        g = g.dup('c');
      }
      update(e.getKey(), p, g, steps);
    }
  }

  private void check(Map<String, INDArray> params, Map<String, INDArray> grads) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      String name = e.getKey();
      INDArray p = e.getValue();
      INDArray g = grads.get(name);
      if (p == null) {
        problems.add("parameter " + name + " is null");
      } else if (!p.dataType().isFPType()) {
        problems.add("parameter " + name + " is " + p.dataType() + ", not floating point");
      } else if (!Rows.walkable(p)) {
        problems.add("parameter " + name + " has strides " + Arrays.toString(p.stride()) + " for shape "
            + Arrays.toString(p.shape()) + ": the optimizers update row-major arrays in place (make it with "
            + "order 'c', or pass a row-major copy and copy the result back)");
      } else if (g == null) {
        problems.add("no gradient for parameter " + name);
      } else if (!Arrays.equals(p.shape(), g.shape())) {
        problems.add(
            "gradient of " + name + " is " + Arrays.toString(g.shape()) + " but the parameter is "
                + Arrays.toString(p.shape()));
      } else {
        for (Map.Entry<String, Map<String, INDArray>> s : slots.entrySet()) {
          INDArray a = s.getValue().get(name);
          if (a != null && !Arrays.equals(a.shape(), p.shape())) {
            problems.add(
                "optimizer state " + s.getKey() + "/" + name + " is " + Arrays.toString(a.shape())
                    + " but the parameter is " + Arrays.toString(p.shape()));
          }
        }
      }
    }
    for (String name : grads.keySet()) {
      if (!params.containsKey(name)) {
        problems.add("gradient " + name + " has no parameter");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ".step: parameters and gradients do not match (nothing was "
              + "updated): " + String.join("; ", problems));
    }
  }

  /** The state array {@code slot/name}, created as zeros of the parameter's shape and type if absent. */
  final INDArray zerosSlot(String slot, String name, INDArray like) {
    Map<String, INDArray> m = slots.get(slot);
    INDArray a = m.get(name);
    if (a == null) {
      a = Nd4j.zeros(like.dataType(), like.shape());
      m.put(name, a);
    } else if (a.dataType() != like.dataType()) {
      a = a.castTo(like.dataType());
      m.put(name, a);
    }
    return a;
  }

  /** The state array {@code slot/name}, cast to {@code like}'s type, or null if absent. */
  final INDArray existingSlot(String slot, String name, INDArray like) {
    Map<String, INDArray> m = slots.get(slot);
    INDArray a = m.get(name);
    if (a != null && a.dataType() != like.dataType()) {
      a = a.castTo(like.dataType());
      m.put(name, a);
    }
    return a;
  }

  /** Stores {@code value} (owned by the optimizer from now on) as {@code slot/name}. */
  final void putSlot(String slot, String name, INDArray value) {
    slots.get(slot).put(name, value);
  }

  @Override
  public final double learningRate() {
    return learningRate;
  }

  @Override
  public final void setLearningRate(double learningRate) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "the learning rate must be finite and at least 0, but is " + learningRate);
    }
    this.learningRate = learningRate;
  }

  @Override
  public final int stepCount() {
    return steps;
  }

  @Override
  public final Map<String, INDArray> state() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    out.put(STEP, Nd4j.scalar(DataType.INT64, steps));
    out.put(LR, Nd4j.scalar(DataType.DOUBLE, learningRate));
    for (Map.Entry<String, Map<String, INDArray>> s : slots.entrySet()) {
      for (Map.Entry<String, INDArray> e : s.getValue().entrySet()) {
        out.put(s.getKey() + "/" + e.getKey(), e.getValue().dup());
      }
    }
    return out;
  }

  @Override
  public final void loadState(Map<String, INDArray> state) {
    Objects.requireNonNull(state, "state");
    INDArray step = state.get(STEP);
    if (step == null || step.length() != 1) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " state needs a scalar '" + STEP + "'; the keys are "
              + state.keySet());
    }
    Set<String> unknown = new TreeSet<>();
    for (String key : state.keySet()) {
      if (key.equals(STEP) || key.equals(LR)) {
        continue;
      }
      int slash = key.indexOf('/');
      if (slash <= 0 || !slots.containsKey(key.substring(0, slash))) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "this is not the state of a " + getClass().getSimpleName() + " (its slots are "
              + slots.keySet() + "): unexpected keys " + unknown);
    }
    long s = step.getLong(0);
    if (s < 0 || s > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("step count " + s + " is out of range");
    }
    INDArray lr = state.get(LR);
    if (lr != null) {
      setLearningRate(lr.getDouble(0));
    }
    for (Map<String, INDArray> m : slots.values()) {
      m.clear();
    }
    for (Map.Entry<String, INDArray> e : state.entrySet()) {
      String key = e.getKey();
      int slash = key.indexOf('/');
      if (slash > 0) {
        slots.get(key.substring(0, slash)).put(key.substring(slash + 1), e.getValue().dup());
      }
    }
    steps = (int) s;
  }

  static double check(String what, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          what + " must be in [" + min + ", " + max + "], but is " + value);
    }
    return value;
  }
}
