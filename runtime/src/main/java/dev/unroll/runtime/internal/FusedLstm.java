package dev.unroll.runtime.internal;

import dev.unroll.runtime.RuntimeOptions;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * One LSTM layer's whole forward recurrence as libnd4j's fused {@code lstmLayer} op: a single native
 * call for every step. With ND4J's {@code -onednn-avx2} jar that op runs on oneDNN, whose packed
 * weights and JIT-compiled element-wise kernels beat the generated step loop on inference passes
 * (measured in {@code benchmarks/README.md}); on the other jars it is a generic kernel, slower than the
 * generated code. So generated LSTM models call it only on evaluation passes that produce no
 * gradients and read no per-step buffer but the outputs, only for float32, unmasked input, and only
 * when {@link #enabled(DataType, int, int)} says so.
 *
 * <p>The switch is {@link RuntimeOptions#fusedLstm()}, the system property {@code unroll.fusedLstm}: {@code auto} (the default: use it
 * when libnd4j was built with oneDNN and its platform helpers are allowed), {@code true} (always, on
 * any jar; the tests use it to check the fused path against the generated one), {@code false}
 * (never).
 *
 * <p>The op's arguments, from libnd4j's {@code ops/declarable/generic/nn/recurrent/lstmLayer.cpp}:
 * inputs {@code x [T, B, I]} (time-major), {@code W_x [I, 4H]}, {@code W_r [H, 4H]}, {@code b [4H]},
 * {@code h_0}, {@code c_0}, with the gate order i, f, g, o as in PyTorch and here; integer arguments:
 * the data format, the direction (0 forward, 1 backward in time) and the three activations (2 = σ,
 * 0 = tanh); one float argument (the cell clip, 0 = none); booleans {@code hasBiases, hasSeqLen,
 * hasInitH, hasInitC, hasPH, retFullSeq, retLastH, retLastC}. All three outputs are always asked
 * for: in 1.0.0-M2.1 the oneDNN helper fails ("object is not initialized") when the full sequence is
 * asked for without the last h and c.
 */
public final class FusedLstm {
  private static final int TIME_MAJOR = 0;
  private static final int FORWARD_IN_TIME = 0;
  private static final int BACKWARD_IN_TIME = 1;
  private static final int SIGMOID = 2;
  private static final int TANH = 0;

  private static volatile Boolean oneDnn;

  private final boolean reverse;
  // this layer's own dense buffers: W_ihᵀ and W_hhᵀ (copied every pass), b_ih + b_hh, the last h
  private INDArray wx;
  private INDArray wr;
  private INDArray bias;
  private INDArray hLast;
  // dense copies of arguments that arrive as strided views (generated models pass none)
  private final Scratch xCopy = new Scratch();
  private final Scratch h0Copy = new Scratch();
  private final Scratch c0Copy = new Scratch();
  private final Scratch outputCopy = new Scratch();
  private final Scratch cFinalCopy = new Scratch();

  private FusedLstm(boolean reverse) {
    this.reverse = reverse;
  }

  /** A layer that runs forward in time. Its buffers are made on the first call. */
  public static FusedLstm forwardInTime() {
    return new FusedLstm(false);
  }

  /** The reverse direction of a bidirectional layer: from the last step to the first. */
  public static FusedLstm backwardInTime() {
    return new FusedLstm(true);
  }

  /** A new op running the same way in time as this one, with its own buffers: a replica's layer. */
  public FusedLstm fresh() {
    return new FusedLstm(reverse);
  }

  /** {@code auto} takes the op for passes of at least this many rows (batch × steps). */
  static final int MIN_ROWS = 64;

  /**
   * {@code auto} leaves passes of at least {@link #GENERATED_FROM_BATCH} rows per step and
   * {@code batch × hidden} of at least this many to the generated loop.
   */
  static final int GENERATED_FROM_WIDTH = 16 * 1024;

  /** See {@link #GENERATED_FROM_WIDTH}. */
  static final int GENERATED_FROM_BATCH = 48;

  /**
   * Whether a model of {@code dataType} runs an unmasked evaluation pass of {@code batch} rows and
   * {@code steps} steps of layers of {@code hidden} units through the fused op: float32 only, and
   * per {@link RuntimeOptions#fusedLstm()}. {@code auto} takes it when libnd4j has oneDNN, for passes
   * of at least {@link #MIN_ROWS} rows, not for a single row while libnd4j runs more than one thread,
   * and not for wide batches of wide layers, where the generated loop is faster:
   * <ul>
   *   <li>one call of the op costs 150–180 µs more than one generated step (JMH {@code
   *       StepLatencyBenchmark}, one step: shape c 216 µs through the op against 64–69 through the
   *       loop, shape a 414 against 231–245), and saves about 2.5 µs per row of shape c (0.74 against
   *       1.25 ms for 200 rows) and more per row of larger layers: about 64 rows to break even;
   *   <li>at batch 1 and 2 threads oneDNN's OpenMP threads cost more than they share (shape c:
   *       1.27–1.30 ms wall through the op, 0.73–0.81 through the step loop; at 1 thread the op wins).
   *   <li>from batch 48 with {@code batch × hidden} of 16,384 on, oneDNN's LSTM slows down more than
   *       the loop (2 threads, T50 I64, forward ms, op against loop, since the loop's step products
   *       take a contiguous {@code Wᵀ}): H256 B48 8.0 / 10.5, B64 16.7 / 13.4, B96 24.5 / 19.0; H512
   *       B32 15.2 / 19.9, B48 31.6 / 27.0, B64 46.9 / 33.9; H128 B64 5.7 / 7.1, B96 10.7 / 10.2,
   *       B128 13.0 / 13.0; shape d (B64 T35 I256 H512) 34.6 / 28.2.
   * </ul>
   */
  public static boolean enabled(DataType dataType, int batch, int steps, int hidden) {
    if (dataType != DataType.FLOAT) {
      return false;
    }
    switch (RuntimeOptions.current().fusedLstm()) {
      case ON:
        return true;
      case OFF:
        return false;
      default:
        return oneDnn() && (long) batch * steps >= MIN_ROWS && (batch > 1 || Nd4j.getEnvironment().maxThreads() <= 1)
            && !(batch >= GENERATED_FROM_BATCH && (long) batch * hidden >= GENERATED_FROM_WIDTH);
    }
  }

  /** Whether libnd4j was built with oneDNN (the {@code -onednn-avx2} jar) and may use it. */
  public static boolean oneDnn() {
    Boolean known = oneDnn;
    if (known == null) {
      boolean built = Nd4j.getBackend().getClass().getSimpleName().startsWith("CpuBackend")
          && NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
      oneDnn = known = built;
    }
    return known && Nd4j.getEnvironment().helpersAllowed();
  }

  /**
   * Runs the layer over {@code steps} steps of {@code batch} rows, with the state buffers laid out as
   * generated models lay them out: block {@code k} of {@code hSeq} and {@code cSeq} ({@code [(T + 1)·B, H]},
   * blocks of B rows) holds the state after {@code k} steps, or for the reverse direction, after the
   * steps from {@code k} on. Reads the initial state from its block, writes h of every step and the
   * final c; the other blocks of {@code cSeq} are left as they were.
   *
   * @param input the layer's input, time-major rows {@code [T·B, I]}
   * @param weightIh {@code W_ih [4H, I]}
   * @param weightHh {@code W_hh [4H, H]}
   * @param biasIh {@code b_ih [4H]}, or null for a layer without biases (then {@code biasHh} too)
   * @param biasHh {@code b_hh [4H]}, or null
   */
  public void forward(int batch, int steps, INDArray input, INDArray weightIh, INDArray weightHh, INDArray biasIh,
      INDArray biasHh, INDArray hSeq, INDArray cSeq) {
    int inputs = (int) weightIh.size(1);
    int hidden = (int) weightHh.size(1);
    size(weightIh.dataType(), inputs, hidden, batch);
    long rows = (long) batch * steps;
    // W_x = W_ihᵀ and W_r = W_hhᵀ copied, every pass, into row-major buffers of this layer's own: oneDNN
    // accepts only dense arguments on every CPU (strided weight views abort the JVM in an assertion on
    // AVX2 CPUs from batch 16 on), and a copy per pass cannot go stale when training changes the weights
    wx.assign(weightIh.transpose());
    wr.assign(weightHh.transpose());
    long first = reverse ? rows : 0;
    long last = reverse ? 0 : rows;
    long outputs = reverse ? 0 : batch;
    INDArray x = dense(byStep(input, batch, steps, inputs), xCopy);
    INDArray h0 = dense(Views.rows(hSeq, first, first + batch), h0Copy);
    INDArray c0 = dense(Views.rows(cSeq, first, first + batch), c0Copy);
    INDArray outputView = byStep(Views.rows(hSeq, outputs, outputs + rows), batch, steps, hidden);
    INDArray cFinalView = Views.rows(cSeq, last, last + batch);
    INDArray output = isDense(outputView) ? outputView : outputCopy.of(outputView);
    INDArray cFinal = isDense(cFinalView) ? cFinalView : cFinalCopy.of(cFinalView);
    boolean hasBiases = biasIh != null;
    INDArray[] in;
    if (hasBiases) {
      Ops.add(bias, biasIh, biasHh);
      in = new INDArray[] {x, wx, wr, bias, h0, c0};
    } else {
      in = new INDArray[] {x, wx, wr, h0, c0};
    }
    DynamicCustomOp op = DynamicCustomOp.builder("lstmLayer")
        .addInputs(in)
        .addIntegerArguments(TIME_MAJOR, reverse ? BACKWARD_IN_TIME : FORWARD_IN_TIME, SIGMOID, TANH, TANH)
        .addFloatingPointArguments(0.0)
        .addBooleanArguments(hasBiases, false, true, true, false, true, true, true)
        .addOutputs(output, hLast, cFinal)
        .build();
    Nd4j.exec(op);
    if (output != outputView) {
      outputView.assign(output);
    }
    if (cFinal != cFinalView) {
      cFinalView.assign(cFinal);
    }
  }

  /** Makes this layer's dense weight copies, bias sum and last-h scratch when the sizes change. */
  private void size(DataType dataType, int inputs, int hidden, int batch) {
    if (wx == null || wx.dataType() != dataType || wx.size(0) != inputs || wx.size(1) != 4L * hidden) {
      wx = Nd4j.create(dataType, new long[] {inputs, 4L * hidden}, 'c');
      wr = Nd4j.create(dataType, new long[] {hidden, 4L * hidden}, 'c');
      bias = Nd4j.create(dataType, 4L * hidden);
      hLast = null;
    }
    if (hLast == null || hLast.size(0) != batch) {
      hLast = Nd4j.create(dataType, new long[] {batch, hidden}, 'c');
    }
  }

  /** {@code a} itself if it is dense and row-major, else a copy of it in {@code copy}'s buffer. */
  private static INDArray dense(INDArray a, Scratch copy) {
    return isDense(a) ? a : copy.of(a).assign(a);
  }

  /**
   * Whether {@code a} is row-major and dense: its strides are those of a fresh {@code 'c'} array of its
   * shape (a dimension of size 1 may have any stride). oneDNN takes such arrays as plain memory.
   */
  static boolean isDense(INDArray a) {
    long expected = 1;
    for (int d = a.rank() - 1; d >= 0; d--) {
      if (a.size(d) != 1 && a.stride(d) != expected) {
        return false;
      }
      expected *= a.size(d);
    }
    return true;
  }

  /**
   * A dense row-major buffer for one argument role, made the first time that argument arrives as a
   * strided view and reused while its shape and type hold (generated models pass dense arguments, so
   * none is ever made for them).
   */
  private static final class Scratch {
    private INDArray buffer;

    /** The buffer, of {@code a}'s shape and type; its contents are the caller's to fill. */
    INDArray of(INDArray a) {
      if (buffer == null || buffer.dataType() != a.dataType() || !Arrays.equals(buffer.shape(), a.shape())) {
        buffer = Nd4j.create(a.dataType(), a.shape(), 'c');
      }
      return buffer;
    }
  }

  /** Time-major rows {@code [T·B, w]} (unit column stride, rows one stride apart) as {@code [T, B, w]}, sharing memory. */
  private static INDArray byStep(INDArray rows, int batch, int steps, int w) {
    if (rows.rank() != 2 || rows.size(0) != (long) steps * batch || rows.size(1) != w || rows.stride(1) != 1) {
      throw new IllegalArgumentException("expected time-major rows [" + steps * batch + ", " + w
          + "] with unit column stride but got shape " + Arrays.toString(rows.shape()) + ", strides "
          + Arrays.toString(rows.stride()));
    }
    long rowStride = rows.stride(0);
    return Nd4j.create(rows.data(), new long[] {steps, batch, w}, new long[] {batch * rowStride, rowStride, 1},
        rows.offset(), 'c', rows.dataType());
  }
}
