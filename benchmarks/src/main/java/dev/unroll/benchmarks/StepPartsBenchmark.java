package dev.unroll.benchmarks;

import dev.unroll.runtime.internal.Activations;
import dev.unroll.runtime.internal.Ops;
import dev.unroll.runtime.internal.RowBuffer;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two parts of one float32 LSTM forward step, timed apart: the recurrent product
 * {@code a_t += h_{t-1} W_hhᵀ} (one OpenBLAS {@code sgemm}), and the element-wise cell over the
 * step's rows in the two forms a generated model carries: {@code float[]} rows in float arithmetic
 * (what FLOAT models run) and {@code double[]} rows (what they ran before, and what DOUBLE models
 * run), each the loop of {@code UnrolledActivityClassifier.step} written out here.
 *
 * <pre>
 *   OMP_NUM_THREADS=1 java -jar benchmarks/target/benchmarks.jar StepPartsBenchmark
 *   # the products on the system's OpenBLAS (Debian's, the one PyTorch uses here) instead of ND4J's:
 *   OMP_NUM_THREADS=1 LD_PRELOAD=/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0 \
 *       java -jar benchmarks/target/benchmarks.jar StepPartsBenchmark.recurrentProduct
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class StepPartsBenchmark {

  /** Batch × hidden: shape a (and its GRU/RNN variants), b, d. */
  @Param({"32x128", "32x256", "64x512"})
  public String size;

  private int batch;
  private int hidden;
  private INDArray a;
  private INDArray hPrev;
  private INDArray weightHh;
  private INDArray cPrev;
  private INDArray c;
  private INDArray h;
  private INDArray tanhC;
  private final RowBuffer aRows = new RowBuffer();
  private final RowBuffer cPrevRows = new RowBuffer();
  private final RowBuffer cRows = new RowBuffer();
  private final RowBuffer hRows = new RowBuffer();
  private final RowBuffer tanhCRows = new RowBuffer();

  /** A step's arrays, float32, with values of the usual magnitudes. */
  @Setup(Level.Trial)
  public void setUp() {
    String[] parts = size.split("x");
    batch = Integer.parseInt(parts[0]);
    hidden = Integer.parseInt(parts[1]);
    Nd4j.getRandom().setSeed(7);
    a = Nd4j.rand(DataType.FLOAT, batch, 4L * hidden).subi(0.5).muli(4);
    hPrev = Nd4j.rand(DataType.FLOAT, batch, hidden).subi(0.5);
    weightHh = Nd4j.rand(DataType.FLOAT, 4L * hidden, hidden).subi(0.5).muli(2 / Math.sqrt(hidden));
    cPrev = Nd4j.rand(DataType.FLOAT, batch, hidden).subi(0.5);
    c = Nd4j.create(DataType.FLOAT, batch, hidden);
    h = Nd4j.create(DataType.FLOAT, batch, hidden);
    tanhC = Nd4j.create(DataType.FLOAT, batch, hidden);
  }

  private void bindRows() {
    aRows.bind(a);
    cPrevRows.bind(cPrev);
    cRows.bind(c);
    hRows.bind(h);
    tanhCRows.bind(tanhC);
  }

  /** {@code a_t += h_{t-1} W_hhᵀ}: [B, H] · [H, 4H]. */
  @Benchmark
  public INDArray recurrentProduct() {
    Ops.addTimesTransposed(a, hPrev, weightHh);
    return a;
  }

  /** The cell over float rows: what a FLOAT model's step runs. */
  @Benchmark
  public INDArray cellFloatRows() {
    bindRows();
    LstmCellRows.forward(batch, hidden, aRows, cPrevRows, cRows, hRows, tanhCRows);
    return h;
  }

  /** The same cell over double rows, each read converted from float and written back converted. */
  @Benchmark
  public INDArray cellDoubleRows() {
    int width = hidden;
    bindRows();
    Activations act = Activations.FLOAT32;
    for (int b = 0; b < batch; b++) {
      double[] ar = aRows.read(b);
      double[] cp = cPrevRows.read(b);
      double[] cr = cRows.row();
      double[] hr = hRows.row();
      double[] tc = tanhCRows.row();
      act.sigmoid(ar, 0, 2 * width);
      act.tanh(ar, 2 * width, width);
      act.sigmoid(ar, 3 * width, width);
      for (int k = 0; k < width; k++) {
        cr[k] = ar[width + k] * cp[k] + ar[k] * ar[2 * width + k];
      }
      act.tanh(cr, 0, tc, 0, width);
      for (int k = 0; k < width; k++) {
        hr[k] = ar[3 * width + k] * tc[k];
      }
      aRows.write(b);
      cRows.write(b);
      hRows.write(b);
      tanhCRows.write(b);
    }
    return h;
  }
}
