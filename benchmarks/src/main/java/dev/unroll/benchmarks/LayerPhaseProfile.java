package dev.unroll.benchmarks;

import dev.unroll.runtime.internal.Ops;
import dev.unroll.runtime.internal.RecurrentWeight;
import dev.unroll.runtime.internal.RowBuffer;
import dev.unroll.runtime.internal.Views;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One float32 LSTM layer's training pass taken apart, phase by phase, with the calls a generated
 * many-to-many model makes (the runtime's {@link Ops}, {@link RowBuffer} rows and {@link
 * Activations}, the loops of {@code step} and {@code backStep} written out): the input projection of
 * every step, the recurrent products, the element-wise cell forward and backward, and the weight
 * gradients over all steps. Shape d by default (B64 T35 I256 H512). Medians in ms per pass.
 *
 * <pre>
 *   OMP_NUM_THREADS=2 java -cp benchmarks/target/benchmarks.jar dev.unroll.benchmarks.LayerPhaseProfile --threads 2
 * </pre>
 */
@Command(
    name = "LayerPhaseProfile",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Times the phases of one LSTM layer's forward and backward pass; prints a table.")
public final class LayerPhaseProfile implements Callable<Integer> {

  @Option(names = "--batch", description = "Batch rows (default: ${DEFAULT-VALUE}).")
  int batch = 64;

  @Option(names = "--steps", description = "Time steps (default: ${DEFAULT-VALUE}).")
  int steps = 35;

  @Option(names = "--features", description = "Input width (default: ${DEFAULT-VALUE}).")
  int features = 256;

  @Option(names = "--hidden", description = "Hidden units (default: ${DEFAULT-VALUE}).")
  int hidden = 512;

  @Option(names = "--threads", description = "libnd4j and OpenBLAS threads (default: ${DEFAULT-VALUE}).")
  int threads = 2;

  @Option(names = "--reps", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
  int reps = 30;

  private final Map<String, double[]> times = new LinkedHashMap<>();
  private int rep;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LayerPhaseProfile()).execute(args));
  }

  @Override
  public Integer call() {
    String warning = Threads.apply(threads);
    if (warning != null) {
      System.out.println(warning);
    }
    Nd4j.getRandom().setSeed(11);
    int rows = batch * steps;
    int gates = 4 * hidden;
    INDArray x = Nd4j.rand(DataType.FLOAT, rows, features).subi(0.5);
    INDArray weightIh = Nd4j.rand(DataType.FLOAT, gates, features).subi(0.5).muli(2 / Math.sqrt(hidden));
    INDArray weightHh = Nd4j.rand(DataType.FLOAT, gates, hidden).subi(0.5).muli(2 / Math.sqrt(hidden));
    INDArray bias = Nd4j.rand(DataType.FLOAT, 1, gates).subi(0.5).muli(0.1);
    INDArray aSeq = Nd4j.create(DataType.FLOAT, rows, gates);
    INDArray[] a = Views.rowBlocks(aSeq, batch, steps);
    INDArray hSeq = Nd4j.create(DataType.FLOAT, rows + batch, hidden);
    INDArray[] h = Views.rowBlocks(hSeq, batch, steps + 1);
    INDArray cSeq = Nd4j.create(DataType.FLOAT, rows + batch, hidden);
    INDArray[] c = Views.rowBlocks(cSeq, batch, steps + 1);
    INDArray tanhCSeq = Nd4j.create(DataType.FLOAT, rows, hidden);
    INDArray[] tanhC = Views.rowBlocks(tanhCSeq, batch, steps);
    INDArray hPrevSeq = Views.rows(hSeq, 0, rows);
    INDArray daSeq = Nd4j.create(DataType.FLOAT, rows, gates);
    INDArray[] da = Views.rowBlocks(daSeq, batch, steps);
    INDArray dOut = Nd4j.rand(DataType.FLOAT, rows, hidden).subi(0.5).muli(0.01);
    INDArray[] dhOut = Views.rowBlocks(dOut, batch, steps);
    INDArray dh = Nd4j.create(DataType.FLOAT, batch, hidden);
    INDArray dhCarry = Nd4j.create(DataType.FLOAT, batch, hidden);
    INDArray dcCarry = Nd4j.create(DataType.FLOAT, batch, hidden);
    INDArray gradIh = Nd4j.create(DataType.FLOAT, gates, features);
    INDArray gradHh = Nd4j.create(DataType.FLOAT, gates, hidden);
    INDArray gradBias = Nd4j.create(DataType.FLOAT, 1, gates);
    RowBuffer[] buffers = new RowBuffer[6];
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = new RowBuffer();
    }
    RecurrentWeight recurrent = new RecurrentWeight(weightHh);
    int warmup = 5;
    for (rep = -warmup; rep < reps; rep++) {
      long t0 = System.nanoTime();
      Ops.timesTransposed(aSeq, x, weightIh);
      Ops.addRow(aSeq, bias);
      long t1 = System.nanoTime();
      long product = 0;
      long cell = 0;
      recurrent.refresh(batch);
      for (int t = 0; t < steps; t++) {
        long s0 = System.nanoTime();
        Ops.addTimesTransposed(a[t], h[t], recurrent);
        long s1 = System.nanoTime();
        cellForward(buffers, a[t], c[t], c[t + 1], h[t + 1], tanhC[t]);
        cell += System.nanoTime() - s1;
        product += s1 - s0;
      }
      long t2 = System.nanoTime();
      dhCarry.assign(0);
      dcCarry.assign(0);
      long backProduct = 0;
      long backCell = 0;
      long add = 0;
      recurrent.refresh(batch);
      for (int t = steps - 1; t >= 0; t--) {
        long s0 = System.nanoTime();
        Ops.add(dh, dhCarry, dhOut[t]);
        long s1 = System.nanoTime();
        cellBackward(buffers, dh, dcCarry, a[t], tanhC[t], c[t], da[t]);
        long s2 = System.nanoTime();
        Ops.product(dhCarry, da[t], recurrent);
        long s3 = System.nanoTime();
        add += s1 - s0;
        backCell += s2 - s1;
        backProduct += s3 - s2;
      }
      long t3 = System.nanoTime();
      Ops.transposedTimes(gradIh, daSeq, x);
      long t4 = System.nanoTime();
      Ops.transposedTimes(gradHh, daSeq, hPrevSeq);
      long t5 = System.nanoTime();
      Ops.columnSums(gradBias, daSeq);
      long t6 = System.nanoTime();
      record("forward: input projection + bias", t1 - t0);
      record("forward: recurrent products (" + steps + ")", product);
      record("forward: element-wise cell (" + steps + ")", cell);
      record("forward: total", t2 - t0);
      record("backward: dh = carry + output grad (" + steps + ")", add);
      record("backward: element-wise cell (" + steps + ")", backCell);
      record("backward: recurrent products (" + steps + ")", backProduct);
      record("backward: dW_ih = daᵀ x", t4 - t3);
      record("backward: dW_hh = daᵀ h_prev", t5 - t4);
      record("backward: db = Σ da", t6 - t5);
      record("backward: total", t6 - t2);
      record("forward + backward", t6 - t0);
      long v0 = System.nanoTime();
      for (int t = 0; t < steps; t++) {
        Ops.addTimesTransposed(a[t], h[t], weightHh);
      }
      record("apart: forward recurrent products on W's transposed view (" + steps + ")",
          System.nanoTime() - v0);
    }
    System.out.printf(Locale.ROOT, "LSTM layer B%d T%d I%d H%d float32, threads %s, median of %d%n%n",
        batch, steps, features, hidden, Threads.describe(), reps);
    System.out.println("| phase | ms | GFLOP/s |");
    System.out.println("|---|--:|--:|");
    for (Map.Entry<String, double[]> e : times.entrySet()) {
      double[] v = e.getValue().clone();
      Arrays.sort(v);
      double ms = v[v.length / 2];
      double flops = flops(e.getKey());
      System.out.printf(Locale.ROOT, "| %s | %.2f | %s |%n", e.getKey(), ms,
          flops > 0 ? String.format(Locale.ROOT, "%.0f", flops / ms / 1e6) : "");
    }
    return 0;
  }

  private double flops(String phase) {
    double g = 4.0 * hidden;
    double bt = (double) batch * steps;
    if (phase.startsWith("forward: input") || phase.startsWith("backward: dW_ih")) {
      return 2 * bt * features * g;
    }
    if (phase.contains("recurrent products") || phase.startsWith("backward: dW_hh")) {
      return 2 * bt * hidden * g;
    }
    return 0;
  }

  private void record(String phase, long nanos) {
    if (rep < 0) {
      return;
    }
    times.computeIfAbsent(phase, k -> new double[reps])[rep] = nanos / 1e6;
  }

  /** {@code step}'s element-wise part, as a generated FLOAT model runs it. */
  private void cellForward(RowBuffer[] r, INDArray at, INDArray cPrevAt, INDArray cAt, INDArray hAt,
      INDArray tanhCAt) {
    LstmCellRows.forward(batch, hidden, r[0].bind(at), r[1].bind(cPrevAt), r[2].bind(cAt), r[3].bind(hAt),
        r[4].bind(tanhCAt));
  }

  /** {@code backStep}'s element-wise part, as a generated FLOAT model runs it. */
  private void cellBackward(RowBuffer[] r, INDArray dhAt, INDArray dcAt, INDArray at, INDArray tanhCAt,
      INDArray cPrevAt, INDArray daAt) {
    LstmCellRows.backward(batch, hidden, r[0].bind(dhAt), r[1].bind(dcAt), r[2].bind(at), r[3].bind(tanhCAt),
        r[4].bind(cPrevAt), r[5].bind(daAt));
  }
}
