package dev.unroll.benchmarks;

import dev.unroll.runtime.ModelConfig.CellType;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.RuntimeOptions;
import dev.unroll.runtime.internal.FusedLstm;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times, in one JVM, on the same inputs and with the same thread settings: the generated models,
 * DL4J's layers, libnd4j's fused {@code lstmLayer} op, and PyTorch CPU eager (in a child process,
 * when Python can import torch). Each figure is the median of repetitions after warm-up. Writes a
 * Markdown table (milliseconds, speed-ups, GFLOP/s against a measured GEMM peak) and a PNG chart.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.unroll.benchmarks.SideBySide --help
 * </pre>
 */
@Command(name = "SideBySide", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Generated models vs DL4J, libnd4j's lstmLayer and PyTorch on the same shapes.")
public final class SideBySide implements Callable<Integer> {

  /** The three timed operations. */
  enum Op {
    FORWARD("forward"), FWD_BWD("fwd+bwd"), TRAIN("train step");

    final String label;

    Op(String label) {
      this.label = label;
    }
  }

  /** The implementations compared. */
  enum Peer {
    OURS("unroll"), DL4J("DL4J"), FUSED("lstmLayer op"), TORCH("PyTorch");

    final String label;

    Peer(String label) {
      this.label = label;
    }
  }

  /** One timing, or why there is none. */
  record Cell(double ms, int reps, String note) {
    static Cell of(Timing t) {
      return new Cell(t.medianMs(), t.reps(), null);
    }

    static Cell missing(String note) {
      return new Cell(Double.NaN, 0, note);
    }

    boolean ok() {
      return !Double.isNaN(ms);
    }
  }

  @Option(names = "--shapes", split = ",", paramLabel = "ID",
      defaultValue = "a,b,c,d,a-gru,a-rnn,a-f64,a-factor4,a-steps50",
      description = "Shapes to run (default: ${DEFAULT-VALUE}).")
  List<String> shapes;

  @Option(names = "--peers", split = ",", paramLabel = "PEER", defaultValue = "dl4j,fused,torch",
      description = "Peers besides unroll: dl4j, fused, torch (default: ${DEFAULT-VALUE}).")
  List<String> peers;

  @Option(names = "--reps", defaultValue = "10",
      description = "Timed repetitions per figure (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--warmup", defaultValue = "3",
      description = "Untimed repetitions first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--slow-reps", defaultValue = "3",
      description = "Timed repetitions for DL4J and the lstmLayer op, which are slow (default: ${DEFAULT-VALUE}).")
  int slowReps;

  @Option(names = "--slow-warmup", defaultValue = "1",
      description = "Untimed repetitions for DL4J and the lstmLayer op (default: ${DEFAULT-VALUE}).")
  int slowWarmup;

  @Option(names = "--max-seconds", defaultValue = "5",
      description = "Stop a figure's repetitions early once it has 3 and this many seconds (default: ${DEFAULT-VALUE}).")
  double maxSeconds;

  @Option(names = "--threads", defaultValue = "0",
      description = "Threads for ND4J, OpenBLAS and PyTorch; 0 (default) = OMP_NUM_THREADS if set, else the"
          + " number of cores. libnd4j sizes its pool at start-up: for fewer threads than cores, also set"
          + " OMP_NUM_THREADS=N.")
  int threads;

  @Option(names = "--nd4j-threads", defaultValue = "0",
      description = "Threads for libnd4j's own ops, apart from OpenBLAS; 0 (default) = as --threads.")
  int nd4jThreads;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory (default: benchmarks/results from the repository root).")
  Path out;

  @Option(names = "--name", defaultValue = "side-by-side",
      description = "Base name of the .md and .png files (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--python", description = "Python with torch (default: python3, then /usr/bin/python3).")
  String python;

  /** libnd4j's master threads and OpenBLAS's threads while the peers run, and while unroll runs (its runtime's settings). */
  private int peerMasterThreads;
  private int oursMasterThreads;
  private int peerBlasThreads;
  private int oursBlasThreads;

  /** Runs it; exit status 0 on success. */
  public static void main(String[] args) {
    Charts.headless();
    System.exit(new CommandLine(new SideBySide()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    double loadBefore = loadAverage();
    Path dir = out != null ? out : Results.defaultDirectory();
    int cores = Runtime.getRuntime().availableProcessors();
    int n = threads > 0 ? threads : defaultThreads(cores);
    String threadWarning = Threads.apply(n, nd4jThreads > 0 ? nd4jThreads : n);
    peerMasterThreads = Nd4j.getEnvironment().maxMasterThreads();
    peerBlasThreads = Nd4j.factory().blas().getMaxThreads();
    if (threadWarning != null) {
      log("warning: %s", threadWarning);
    }
    List<Shape> selected = new ArrayList<>();
    for (String id : shapes) {
      selected.add(Shape.parse(id));
    }
    boolean wantDl4j = peers.contains("dl4j");
    boolean wantFused = peers.contains("fused");
    boolean wantTorch = peers.contains("torch");

    log("threads: %s; cores: %d", Threads.describe(), cores);
    Map<DataType, Double> peak = new EnumMap<>(DataType.class);
    peak.put(DataType.FLOAT, GemmPeak.gflops(DataType.FLOAT));
    if (selected.stream().anyMatch(s -> s.workload().dataType() == DataType.DOUBLE)) {
      peak.put(DataType.DOUBLE, GemmPeak.gflops(DataType.DOUBLE));
    }
    log("GEMM %d×%d peak: %s", GemmPeak.N, GemmPeak.N, peak);

    Path torchDir = Files.createTempDirectory("unroll-torch-");
    Optional<TorchRunner> torch = wantTorch ? TorchRunner.find(python, torchDir) : Optional.empty();
    Map<Shape, Map<Peer, Map<Op, Cell>>> table = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<String> layoutNotes = new ArrayList<>();

    for (Shape shape : selected) {
      Workload w = shape.workload();
      log("shape %s: %s", w.id(), w.label());
      INDArray x = w.input();
      INDArray y = w.targets();
      RecurrentModel model = w.newModel();
      Map<String, INDArray> initial = new LinkedHashMap<>();
      model.parameters().forEach((k, v) -> initial.put(k, v.dup()));
      // the checks compare with the generated step loop, also where evaluation passes take the fused op
      INDArray logits = generatedLoopLogits(model, x);
      if (oursMasterThreads == 0) {
        oursMasterThreads = Nd4j.getEnvironment().maxMasterThreads();
        oursBlasThreads = Nd4j.factory().blas().getMaxThreads();
      }

      Map<Peer, Engine> engines = new EnumMap<>(Peer.class);
      Map<Peer, Map<Op, Cell>> row = new EnumMap<>(Peer.class);
      engines.put(Peer.OURS, new OursEngine(model, x, y));
      if (wantDl4j) {
        if (Dl4jEngine.supports(w)) {
          engines.put(Peer.DL4J, Dl4jEngine.create(w, x));
        } else {
          row.put(Peer.DL4J, all(Cell.missing("DL4J has no " + w.cellName() + " layer")));
        }
      }
      if (wantFused) {
        if (FusedLstmEngine.supports(w)) {
          FusedLstmEngine fused = new FusedLstmEngine(w, initial, x);
          engines.put(Peer.FUSED, fused);
          notes.add(parity(w, model, x, y, logits, fused));
        } else {
          row.put(Peer.FUSED, all(Cell.missing("lstmLayer is LSTM only")));
        }
      }
      if (torch.isPresent()) {
        torch.get().add(w, initial, x, y, logits);
      }
      for (Map.Entry<Peer, Engine> e : engines.entrySet()) {
        Peer peer = e.getKey();
        // unroll's runtime sets libnd4j's master threads (and on the oneDNN jar OpenBLAS's threads) on
        // its first product; DL4J and the op get libnd4j's own setting (--nd4j-threads) and --threads
        Nd4j.getEnvironment().setMaxMasterThreads(peer == Peer.OURS ? oursMasterThreads : peerMasterThreads);
        Nd4j.factory().blas().setMaxThreads(peer == Peer.OURS ? oursBlasThreads : peerBlasThreads);
        Map<Op, Cell> cells = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
          Cell cell = time(peer, e.getValue(), op);
          cells.put(op, cell);
          log("  %-12s %-10s %s", peer.label, op.label,
              cell.ok() ? String.format(Locale.ROOT, "%.3f ms (%d reps)", cell.ms(), cell.reps()) : cell.note());
        }
        row.put(peer, cells);
      }
      table.put(shape, row);
    }

    String torchInfo = "PyTorch: not run" + (wantTorch ? " (no Python with torch found)" : "");
    if (torch.isPresent()) {
      log("PyTorch: %d shapes in a child process", selected.size());
      try {
        TorchRunner.Report report = torch.get().run(n, warmup, reps, maxSeconds);
        torchInfo = "PyTorch " + report.version() + " CPU eager, " + report.threads()
            + (report.threads() == 1 ? " thread" : " threads")
            + ", each figure the faster of its batch-first and time-major layouts; BLAS " + report.blas();
        for (Shape shape : selected) {
          TorchRunner.Result r = report.results().get(shape.id());
          Map<Op, Cell> cells = new EnumMap<>(Op.class);
          cells.put(Op.FORWARD, torchCell(r, TorchRunner.Result::forwardMs));
          cells.put(Op.FWD_BWD, torchCell(r, TorchRunner.Result::fwdBwdMs));
          cells.put(Op.TRAIN, torchCell(r, TorchRunner.Result::trainMs));
          table.get(shape).put(Peer.TORCH, cells);
          if (r != null) {
            notes.add(String.format(Locale.ROOT, "%s: PyTorch logits vs unroll (same weights, same x): max |Δ| = %.2e",
                shape.id(), r.logitsMaxAbsDiff()));
            if (!r.layouts().isEmpty()) {
              layoutNotes.add(shape.id() + ": " + r.layouts());
            }
          }
        }
      } catch (IOException e) {
        torchInfo = "PyTorch failed: " + e.getMessage();
        log("%s", torchInfo);
      }
    }
    deleteTree(torchDir);

    double minutes = (System.nanoTime() - started) / 6e10;
    String header = header(n, cores, peak, torchInfo, minutes, loadBefore, loadAverage(), threadWarning);
    String markdown = markdown(header, table, peak, notes, layoutNotes);
    Files.createDirectories(dir);
    Path md = dir.resolve(name + ".md");
    Files.writeString(md, markdown, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(markdown);
    Path png = dir.resolve(name + ".png");
    chart(png, table);
    log("wrote %s and %s", md, png);
    return 0;
  }

  private Cell time(Peer peer, Engine engine, Op op) {
    boolean slow = peer == Peer.DL4J || peer == Peer.FUSED;
    int w = slow ? slowWarmup : warmup;
    int r = slow ? slowReps : reps;
    try {
      settle();
      Timing t = switch (op) {
        case FORWARD -> Timing.measure(engine::forward, w, r, maxSeconds);
        case FWD_BWD -> Timing.measure(engine::forwardBackward, w, r, maxSeconds);
        case TRAIN -> Timing.measure(engine::trainStep, w, r, maxSeconds);
      };
      return Cell.of(t);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Cell.missing("interrupted");
    } catch (Exception | UnsatisfiedLinkError e) {
      log("  %s %s failed: %s", peer.label, op.label, e);
      return Cell.missing("failed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Collects the garbage of earlier figures first (ND4J frees native memory when its Java objects are
   * collected, on its own threads), so that it is not charged to the next figure.
   */
  static void settle() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
  }

  private static Cell torchCell(TorchRunner.Result r, ToDoubleFunction<TorchRunner.Result> ms) {
    if (r == null || Double.isNaN(ms.applyAsDouble(r))) {
      return Cell.missing("no figure");
    }
    return new Cell(ms.applyAsDouble(r), 0, null);
  }

  private static Map<Op, Cell> all(Cell cell) {
    Map<Op, Cell> cells = new EnumMap<>(Op.class);
    for (Op op : Op.values()) {
      cells.put(op, cell);
    }
    return cells;
  }

  /** The model's logits from its generated step loop, whatever {@code -Dunroll.fusedLstm} says for the timings. */
  private static INDArray generatedLoopLogits(RecurrentModel model, INDArray x) {
    return RuntimeOptions.with(o -> o.withFusedLstm(RuntimeOptions.Switch.OFF), () -> model.forward(x));
  }

  /** Checks that the fused op computes what the generated model does, on the initial weights. */
  private static String parity(Workload w, RecurrentModel model, INDArray x, INDArray y, INDArray logits,
      FusedLstmEngine fused) {
    String text;
    try {
      double forward = maxAbsDiff(fused.forward(), logits);
      double grad = maxAbsDiff(fused.weightHh0Gradient(), model.gradients(x, y).get("rnn.weight_hh_l0"));
      text = String.format(Locale.ROOT,
          "%s: lstmLayer op vs unroll (same weights, same x): logits max |Δ| = %.2e, ∂L/∂W_hh0 max |Δ| = %.2e",
          w.id(), forward, grad);
    } catch (RuntimeException e) {
      text = w.id() + ": lstmLayer parity check failed: " + e;
    }
    log("  %s", text);
    return text;
  }

  private static double maxAbsDiff(INDArray a, INDArray b) {
    return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)), false)
        .maxNumber().doubleValue();
  }

  /** {@code OMP_NUM_THREADS} if set to a number, else {@code cores}. */
  static int defaultThreads(int cores) {
    try {
      return Integer.parseInt(System.getenv().getOrDefault("OMP_NUM_THREADS", "").trim());
    } catch (NumberFormatException e) {
      return cores;
    }
  }

  /** The one-minute load average: other processes competing for the cores make every figure slower. */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private String header(int n, int cores, Map<DataType, Double> peak, String torchInfo, double minutes,
      double loadBefore, double loadAfter, String threadWarning) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Side by side\n\n");
    sb.append(String.format(Locale.ROOT,
        "- machine: %d cores (%s, %s), JVM %s, ND4J %s (nd4j-native%s, OpenBLAS)%n",
        cores, System.getProperty("os.name"), System.getProperty("os.arch"),
        System.getProperty("java.version"), Nd4j.class.getPackage().getImplementationVersion() == null
            ? "1.0.0-M2.1" : Nd4j.class.getPackage().getImplementationVersion(),
        FusedLstm.oneDnn() ? " with oneDNN" : ""));
    sb.append("- BLAS for unroll, DL4J and the lstmLayer op: ").append(BlasLibrary.describe()).append('\n');
    sb.append(String.format(Locale.ROOT, "- unroll's float32 LSTM evaluation passes: %s (-D%s=%s)%n",
        shapes.stream().map(id -> Shape.parse(id).workload())
            .filter(s -> s.cell() == CellType.LSTM && s.dataType() == DataType.FLOAT)
            .map(s -> s.id() + " " + (FusedLstm.enabled(DataType.FLOAT, s.batch(), s.steps(), s.hidden())
                ? "libnd4j's fused lstmLayer op" : "the generated step loop"))
            .collect(java.util.stream.Collectors.joining(", ")),
        RuntimeOptions.FUSED_LSTM, RuntimeOptions.current().fusedLstm()));
    sb.append(String.format(Locale.ROOT, "- threads: %d for every engine (%s; OMP_NUM_THREADS=%s)%s%n", n,
        Threads.describe(), System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
        threadWarning == null ? "" : "; warning: " + threadWarning));
    sb.append(String.format(Locale.ROOT, "- libnd4j master threads / OpenBLAS threads: %d / %d for unroll (its"
        + " runtime's settings, -Dunroll.nd4jMasterThreads, -Dunroll.blasThreads), %d / %d for DL4J and the lstmLayer"
        + " op%n", oursMasterThreads, oursBlasThreads, peerMasterThreads, peerBlasThreads));
    sb.append("- ").append(torchInfo).append('\n');
    sb.append(String.format(Locale.ROOT,
        "- GEMM peak (Nd4j.gemm %d×%d into a preallocated output): %s%n", GemmPeak.N, GemmPeak.N,
        peakText(peak)));
    sb.append(String.format(Locale.ROOT,
        "- median of up to %d repetitions after %d warm-up (DL4J and lstmLayer op: %d after %d), each figure's"
            + " repetitions cut at %.0f s once it has 3; warm-up also lasts at least 2 s, at most half the cut;"
            + " System.gc() before each figure; run took %.1f min%n",
        reps, warmup, slowReps, slowWarmup, maxSeconds, minutes));
    sb.append(String.format(Locale.ROOT,
        "- load average (1 min) at start %.2f, at end %.2f: above 0 means other processes shared the cores%n",
        loadBefore, loadAfter));
    sb.append("- unroll's fwd+bwd and train step hand their gradients back once used (Gradients.release(), as"
        + " Trainer does), so the next call reuses the arrays; PyTorch's set theirs to None before each backward\n");
    sb.append("- speed-up = peer time / unroll time (above 1: unroll is faster); GFLOP/s counts the gate and output"
        + " products only (forward 2·B·T·(I+H)·G·H per layer, G = 4 LSTM, 3 GRU, 1 RNN; fwd+bwd and train 3× forward)\n\n");
    return sb.toString();
  }

  private static String peakText(Map<DataType, Double> peak) {
    List<String> parts = new ArrayList<>();
    peak.forEach((dt, g) -> parts.add(String.format(Locale.ROOT, "%.1f GFLOP/s %s", g,
        dt == DataType.DOUBLE ? "float64" : "float32")));
    return String.join(", ", parts);
  }

  private static String markdown(String header, Map<Shape, Map<Peer, Map<Op, Cell>>> table,
      Map<DataType, Double> peak, List<String> notes, List<String> layoutNotes) {
    StringBuilder sb = new StringBuilder(header);
    sb.append("| shape | op | unroll ms | DL4J ms | lstmLayer op ms | PyTorch ms "
        + "| vs DL4J | vs lstmLayer | vs PyTorch | unroll GFLOP/s | % of GEMM peak |\n");
    sb.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (Map.Entry<Shape, Map<Peer, Map<Op, Cell>>> e : table.entrySet()) {
      Workload w = e.getKey().workload();
      Map<Peer, Map<Op, Cell>> row = e.getValue();
      for (Op op : Op.values()) {
        Cell ours = cell(row, Peer.OURS, op);
        sb.append("| ").append(op == Op.FORWARD ? "**" + w.id() + "** " + w.label() : "").append(" | ")
            .append(op.label).append(" | ").append(ms(ours));
        for (Peer p : List.of(Peer.DL4J, Peer.FUSED, Peer.TORCH)) {
          sb.append(" | ").append(ms(cell(row, p, op)));
        }
        for (Peer p : List.of(Peer.DL4J, Peer.FUSED, Peer.TORCH)) {
          Cell c = cell(row, p, op);
          sb.append(" | ").append(ours.ok() && c.ok()
              ? String.format(Locale.ROOT, "%.2f×", c.ms() / ours.ms()) : "–");
        }
        double flops = op == Op.FORWARD ? w.forwardFlops() : w.forwardBackwardFlops();
        if (ours.ok()) {
          double gflops = flops / (ours.ms() * 1e6);
          sb.append(String.format(Locale.ROOT, " | %.1f | %.0f%%", gflops,
              100 * gflops / peak.getOrDefault(w.dataType(), Double.NaN)));
        } else {
          sb.append(" | – | –");
        }
        sb.append(" |\n");
      }
    }
    sb.append("\n– = not run (");
    List<String> why = new ArrayList<>();
    for (Map<Peer, Map<Op, Cell>> row : table.values()) {
      for (Map<Op, Cell> cells : row.values()) {
        for (Cell c : cells.values()) {
          if (c.note() != null && !why.contains(c.note())) {
            why.add(c.note());
          }
        }
      }
    }
    sb.append(why.isEmpty() ? "peer not selected" : String.join("; ", why)).append(").\n\n");
    if (!layoutNotes.isEmpty()) {
      sb.append("PyTorch's layouts (ms; the table takes the faster of batch-first and time-major):\n\n");
      for (String note : layoutNotes) {
        sb.append("- ").append(note).append('\n');
      }
      sb.append('\n');
    }
    if (!notes.isEmpty()) {
      sb.append("Checks:\n\n");
      for (String note : notes) {
        sb.append("- ").append(note).append('\n');
      }
    }
    return sb.toString();
  }

  private static Cell cell(Map<Peer, Map<Op, Cell>> row, Peer peer, Op op) {
    Map<Op, Cell> cells = row.get(peer);
    return cells == null ? Cell.missing(null) : cells.get(op);
  }

  private static String ms(Cell c) {
    if (!c.ok()) {
      return "–";
    }
    return c.ms() >= 100 ? String.format(Locale.ROOT, "%.0f", c.ms())
        : c.ms() >= 10 ? String.format(Locale.ROOT, "%.1f", c.ms())
        : String.format(Locale.ROOT, "%.2f", c.ms());
  }

  private static void chart(Path png, Map<Shape, Map<Peer, Map<Op, Cell>>> table) throws IOException {
    List<String> categories = new ArrayList<>();
    for (Shape s : table.keySet()) {
      categories.add(s.id());
    }
    List<CategoryChart> charts = new ArrayList<>();
    for (Op op : Op.values()) {
      Map<String, List<Double>> series = new LinkedHashMap<>();
      for (Peer peer : Peer.values()) {
        List<Double> values = new ArrayList<>();
        boolean any = false;
        for (Map<Peer, Map<Op, Cell>> row : table.values()) {
          Cell c = cell(row, peer, op);
          values.add(c.ok() ? c.ms() : null);
          any |= c.ok();
        }
        if (any) {
          series.put(peer.label, values);
        }
      }
      charts.add(Charts.bars(op.label + " (ms, log scale; lower is better)", "ms", categories, series));
    }
    Charts.save(png, charts, 3, 1);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }

  static void log(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }
}
