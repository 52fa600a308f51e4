package dev.unroll.benchmarks;

import dev.unroll.runtime.RecurrentModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How the generated LSTM's forward-plus-backward time per batch grows with the sequence length T,
 * the hidden size H and the batch size B, one at a time around shape a (B32 T50 I64 H128, many to
 * one). Writes {@code scaling.csv} and {@code scaling.png} (time, and GFLOP/s, per axis). H is a
 * compile-time size, so each H is its own generated class ({@code LstmH32} ... {@code LstmH512}).
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.unroll.benchmarks.Scaling
 * </pre>
 */
@Command(name = "Scaling", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Forward+backward time of the generated LSTM as T, H and B grow.")
public final class Scaling implements Callable<Integer> {

  @Option(names = "--steps", split = ",", defaultValue = "10,25,50,100,150,200",
      description = "Sequence lengths (default: ${DEFAULT-VALUE}).")
  List<Integer> steps;

  @Option(names = "--hidden", split = ",", defaultValue = "32,64,128,256,512",
      description = "Hidden sizes, each a generated class: 32, 64, 128, 256, 512 (default: ${DEFAULT-VALUE}).")
  List<Integer> hidden;

  @Option(names = "--batch", split = ",", defaultValue = "1,2,4,8,16,32,64,128",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batch;

  @Option(names = "--reps", defaultValue = "7", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed repetitions (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--max-seconds", defaultValue = "3",
      description = "Stop a point's repetitions once it has 3 and this many seconds (default: ${DEFAULT-VALUE}).")
  double maxSeconds;

  @Option(names = "--threads", defaultValue = "0",
      description = "Threads; 0 (default) = OMP_NUM_THREADS if set, else the number of cores. For fewer threads"
          + " than cores, also set OMP_NUM_THREADS=N.")
  int threads;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory (default: benchmarks/results from the repository root).")
  Path out;

  /** How long the run warms the JIT up at each of three lengths before its first point. */
  private static final double JIT_WARMUP_SECONDS = 1.5;

  /** One measured point. */
  record Point(String axis, Workload w, Timing t) {
    double gflops() {
      return w.forwardBackwardFlops() / (t.medianMs() * 1e6);
    }
  }

  /** Runs it; exit status 0 on success. */
  public static void main(String[] args) {
    Charts.headless();
    System.exit(new CommandLine(new Scaling()).execute(args));
  }

  private static ModelFactory hiddenModel(int h) {
    return switch (h) {
      case 32 -> UnrolledModels_LstmH32::new;
      case 64 -> UnrolledModels_LstmH64::new;
      case 128 -> UnrolledModels_LstmA::new;
      case 256 -> UnrolledModels_LstmH256::new;
      case 512 -> UnrolledModels_LstmH512::new;
      default -> throw new IllegalArgumentException("no generated class for H = " + h + "; use 32, 64, 128, 256 or 512");
    };
  }

  @Override
  public Integer call() throws Exception {
    Path dir = out != null ? out : Results.defaultDirectory();
    String threadWarning = Threads.apply(
        threads > 0 ? threads : SideBySide.defaultThreads(Runtime.getRuntime().availableProcessors()));
    if (threadWarning != null) {
      SideBySide.log("warning: %s", threadWarning);
    }
    SideBySide.log("threads: %s", Threads.describe());
    Workload base = Shape.A.workload();
    List<Point> points = new ArrayList<>();
    RecurrentModel model = base.newModel();
    // The first points would otherwise also pay for compiling ND4J's Java side, and for the JIT's
    // second thoughts the first time the buffers are resized: warm up over a few lengths.
    for (int t : new int[] {steps.get(0), base.steps(), steps.get(steps.size() - 1)}) {
      Workload w = base.withSteps(t);
      INDArray x0 = w.input();
      INDArray y0 = w.targets();
      Timing.measure(() -> model.gradients(x0, y0), 1, 1, 2 * JIT_WARMUP_SECONDS);
    }
    for (int t : steps) {
      points.add(measure("T", base.withSteps(t), model));
    }
    for (int h : hidden) {
      Workload w = new Workload("a-h" + h, base.cell(), base.batch(), base.steps(), base.features(), h,
          base.layers(), base.classes(), base.manyToMany(), DataType.FLOAT, hiddenModel(h));
      points.add(measure("H", w, w.newModel()));
    }
    for (int b : batch) {
      points.add(measure("B", base.withBatch(b), model));
    }
    Files.createDirectories(dir);
    Path csv = dir.resolve("scaling.csv");
    StringBuilder sb = new StringBuilder("axis,B,T,I,H,ms,ms_per_step,ms_per_row,gflops,reps\n");
    for (Point p : points) {
      sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.4f,%.5f,%.5f,%.2f,%d%n", p.axis(), p.w().batch(),
          p.w().steps(), p.w().features(), p.w().hidden(), p.t().medianMs(), p.t().medianMs() / p.w().steps(),
          p.t().medianMs() / p.w().batch(), p.gflops(), p.t().reps()));
    }
    Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
    Path png = dir.resolve("scaling.png");
    chart(png, points);
    System.out.print(sb);
    SideBySide.log("wrote %s and %s", csv, png);
    return 0;
  }

  private Point measure(String axis, Workload w, RecurrentModel model) throws Exception {
    INDArray x = w.input();
    INDArray y = w.targets();
    SideBySide.settle();
    Timing t = Timing.measure(() -> model.gradients(x, y), warmup, reps, maxSeconds);
    SideBySide.log("%s: B%d T%d H%d  fwd+bwd %.3f ms (%d reps)", axis, w.batch(), w.steps(), w.hidden(),
        t.medianMs(), t.reps());
    return new Point(axis, w, t);
  }

  private static void chart(Path png, List<Point> points) throws IOException {
    List<XYChart> charts = new ArrayList<>();
    String[][] axes = {{"T", "sequence length T (B32 H128)"}, {"H", "hidden size H (B32 T50)"},
        {"B", "batch size B (T50 H128)"}};
    for (boolean rate : new boolean[] {false, true}) {
      for (String[] axis : axes) {
        List<Point> on = points.stream().filter(p -> p.axis().equals(axis[0])).toList();
        if (on.isEmpty()) {
          continue;
        }
        double[] xs = new double[on.size()];
        double[] ys = new double[on.size()];
        for (int i = 0; i < on.size(); i++) {
          Workload w = on.get(i).w();
          xs[i] = switch (axis[0]) {
            case "T" -> w.steps();
            case "H" -> w.hidden();
            default -> w.batch();
          };
          ys[i] = rate ? on.get(i).gflops() : on.get(i).t().medianMs();
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put(rate ? "GFLOP/s" : "fwd+bwd ms", new double[][] {xs, ys});
        charts.add(Charts.lines((rate ? "GFLOP/s vs " : "ms per batch vs ") + axis[0], axis[1],
            rate ? "GFLOP/s" : "ms", !axis[0].equals("T"), series));
      }
    }
    Charts.save(png, charts, 2, charts.size() / 2);
  }
}
