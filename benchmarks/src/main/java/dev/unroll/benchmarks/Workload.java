package dev.unroll.benchmarks;

import dev.unroll.runtime.ModelConfig.CellType;
import dev.unroll.runtime.RecurrentModel;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One benchmarked configuration: a generated model class plus the batch size, sequence length and
 * data type it runs at. Inputs are batch first, {@code x [B, T, I]}; targets are int64 class ids,
 * {@code [B]} (many to one) or {@code [B, T]} (many to many).
 *
 * @param id        short name used on the command line and in tables, e.g. {@code a} or {@code a-gru}
 * @param cell      the recurrent cell
 * @param batch     B
 * @param steps     T
 * @param features  I, the input size of the first layer
 * @param hidden    H
 * @param layers    stacked layers
 * @param classes   outputs of the final linear layer
 * @param manyToMany one output per step (else one per sequence, from the last step)
 * @param dataType  FLOAT or DOUBLE
 * @param factory   the generated class's constructor
 */
public record Workload(
    String id,
    CellType cell,
    int batch,
    int steps,
    int features,
    int hidden,
    int layers,
    int classes,
    boolean manyToMany,
    DataType dataType,
    ModelFactory factory) {

  /** Seed of every model's parameters and every input. */
  public static final long SEED = 42;

  /** The same workload at another batch size. */
  public Workload withBatch(int b) {
    return new Workload(id, cell, b, steps, features, hidden, layers, classes, manyToMany, dataType, factory);
  }

  /** The same workload at another sequence length. */
  public Workload withSteps(int t) {
    return new Workload(id, cell, batch, t, features, hidden, layers, classes, manyToMany, dataType, factory);
  }

  /** A new model for this workload, parameters from {@link #SEED}. */
  public RecurrentModel newModel() {
    return factory.create(SEED, dataType);
  }

  /** The input {@code x [B, T, I]}, standard normal, from {@link #SEED}. */
  public INDArray input() {
    Nd4j.getRandom().setSeed(SEED);
    return Nd4j.randn(dataType, batch, steps, features);
  }

  /** Class ids {@code [B]} or {@code [B, T]}, int64, deterministic. */
  public INDArray targets() {
    long n = manyToMany ? (long) batch * steps : batch;
    long[] ids = new long[(int) n];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (i * 7L + 3) % classes;
    }
    INDArray y = Nd4j.createFromArray(ids);
    return manyToMany ? y.reshape(batch, steps) : y;
  }

  /** The targets as one-hot rows, {@code [B, classes]} or {@code [B, T, classes]} (DL4J's labels, batch first). */
  public INDArray oneHotTargets() {
    INDArray y = targets();
    INDArray flat = Nd4j.zeros(dataType, y.length(), classes);
    long[] ids = y.reshape(y.length()).toLongVector();
    for (int i = 0; i < ids.length; i++) {
      flat.putScalar(i, ids[i], 1.0);
    }
    return manyToMany ? flat.reshape(batch, steps, classes) : flat;
  }

  /**
   * Multiply-adds ×2 of one forward pass: per layer, {@code 2·B·T·(I_l + H)·G·H} for the gate
   * products (G = 4 LSTM, 3 GRU, 1 RNN), plus the output layer. Elementwise work is not counted.
   */
  public double forwardFlops() {
    double flops = 0;
    for (int l = 0; l < layers; l++) {
      int in = l == 0 ? features : hidden;
      flops += 2.0 * batch * steps * (in + hidden) * (double) cell.gates() * hidden;
    }
    flops += 2.0 * batch * (manyToMany ? steps : 1) * hidden * (double) classes;
    return flops;
  }

  /** Forward plus backward: three times the forward (the backward pass does two products per forward one). */
  public double forwardBackwardFlops() {
    return 3 * forwardFlops();
  }

  /** For tables: e.g. {@code LSTM×2 B32 T100 I128 H256 m2m f32}. */
  public String label() {
    return String.format(Locale.ROOT, "%s%s B%d T%d I%d H%d %s %s",
        cellName(), layers > 1 ? "×" + layers : "", batch, steps, features, hidden,
        manyToMany ? "m2m" : "m2o", dataType == DataType.DOUBLE ? "f64" : "f32");
  }

  /** LSTM, GRU or RNN. */
  public String cellName() {
    return switch (cell) {
      case LSTM -> "LSTM";
      case GRU, GRU_RESET_BEFORE -> "GRU";
      case RNN_TANH -> "RNN-tanh";
      case RNN_RELU -> "RNN-relu";
    };
  }
}
