package dev.unroll.benchmarks;

import dev.unroll.runtime.ModelConfig.CellType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;

/** The benchmarked shapes (batch first, float32 unless named f64). */
public enum Shape {
  /** LSTM B32 T50 I64 H128, many-to-one, 10 classes. */
  A(CellType.LSTM, 32, 50, 64, 128, 1, false, DataType.FLOAT, UnrolledModels_LstmA::new),
  /** Two LSTM layers B32 T100 I128 H256, many-to-many. */
  B(CellType.LSTM, 32, 100, 128, 256, 2, true, DataType.FLOAT, UnrolledModels_LstmB::new),
  /** LSTM B1 T200 I32 H64, many-to-one: one row, long sequence, latency-bound. */
  C(CellType.LSTM, 1, 200, 32, 64, 1, false, DataType.FLOAT, UnrolledModels_LstmC::new),
  /** LSTM B64 T35 I256 H512, many-to-many: the largest products. */
  D(CellType.LSTM, 64, 35, 256, 512, 1, true, DataType.FLOAT, UnrolledModels_LstmD::new),
  /** Shape a, bidirectional. */
  A_BI(CellType.LSTM, 32, 50, 64, 128, 1, false, DataType.FLOAT, UnrolledModels_LstmABidirectional::new),
  /** Shape a with a GRU cell. */
  A_GRU(CellType.GRU, 32, 50, 64, 128, 1, false, DataType.FLOAT, UnrolledModels_GruA::new),
  /** Shape a with a tanh RNN cell. */
  A_RNN(CellType.RNN_TANH, 32, 50, 64, 128, 1, false, DataType.FLOAT, UnrolledModels_RnnA::new),
  /** Shape a in float64 (the same generated class). */
  A_F64(CellType.LSTM, 32, 50, 64, 128, 1, false, DataType.DOUBLE, UnrolledModels_LstmA::new),
  /** Shape a, {@code @Unroll(factor = 4)}. */
  A_FACTOR4(CellType.LSTM, 32, 50, 64, 128, 1, false, DataType.FLOAT, UnrolledModels_LstmAFactor4::new),
  /** Shape a, {@code @Unroll(steps = 50)}: every step written out. */
  A_STEPS50(CellType.LSTM, 32, 50, 64, 128, 1, false, DataType.FLOAT, UnrolledModels_LstmASteps50::new);

  /** Classes of every shape's output layer. */
  public static final int CLASSES = 10;

  private final Workload workload;

  Shape(CellType cell, int batch, int steps, int features, int hidden, int layers, boolean manyToMany,
      DataType dataType, ModelFactory factory) {
    this.workload = new Workload(id(name()), cell, batch, steps, features, hidden, layers, CLASSES,
        manyToMany, dataType, factory);
  }

  /** The workload: model class, sizes, data type. */
  public Workload workload() {
    return workload;
  }

  /** The command-line name: {@code A_GRU} is {@code a-gru}. */
  public String id() {
    return workload.id();
  }

  /** Whether this shape's model accepts any sequence length (every one but {@link #A_STEPS50}). */
  public boolean anyLength() {
    return this != A_STEPS50;
  }

  /** The shape named {@code id} ({@code a-gru} or {@code A_GRU}), case-insensitive. */
  public static Shape parse(String id) {
    String key = id.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return valueOf(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown shape '" + id + "'; known: "
          + Arrays.stream(values()).map(Shape::id).collect(Collectors.joining(", ")), e);
    }
  }

  private static String id(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
