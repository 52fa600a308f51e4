package dev.unroll.benchmarks;

import dev.unroll.runtime.RecurrentModel;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Allocation per call of the generated models after warm-up, at the shape's T and at 2T, to show it
 * does not grow with T (the work buffers are sized once per batch size and length and reused).
 *
 * <ul>
 *   <li>JVM heap: {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} of this thread,
 *       over many calls, per call.
 *   <li>Off-heap (ND4J buffers): libnd4j allocates array memory natively, out of sight of JavaCPP's
 *       {@code Pointer.totalBytes()} and of ND4J's memory manager, so each call runs inside an
 *       ND4J workspace of size 0 that spills to external memory: the workspace counts the bytes of
 *       every array the call creates ({@code getThisCycleAllocations}). Temporaries inside native
 *       ops are not seen.
 *   <li>Off-heap high-water per model: the parameters plus everything a fresh {@code replica()}'s
 *       first call allocates (its work buffers and that call's temporaries), measured the same way on
 *       a throwaway replica. An upper bound: nothing in the workspace is freed before it closes.
 * </ul>
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.unroll.benchmarks.Allocations
 * </pre>
 */
@Command(name = "Allocations", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Heap and off-heap allocation per call at T and 2T, and off-heap high-water per model.")
public final class Allocations implements Callable<Integer> {

  @Option(names = "--shapes", split = ",", paramLabel = "ID", defaultValue = "a,b,c,d,a-gru,a-rnn,a-f64,a-factor4",
      description = "Shapes (default: ${DEFAULT-VALUE}; a-steps50 accepts T = 50 only).")
  List<String> shapes;

  @Option(names = "--calls", defaultValue = "20", description = "Measured calls per figure (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--warmup", defaultValue = "5", description = "Calls before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory (default: benchmarks/results from the repository root).")
  Path out;

  private static final WorkspaceConfiguration COUNTING = WorkspaceConfiguration.builder()
      .initialSize(0)
      .policyLearning(LearningPolicy.NONE)
      .policySpill(SpillPolicy.EXTERNAL)
      .policyAllocation(AllocationPolicy.STRICT)
      .build();

  private static final String WORKSPACE = "unroll-allocation-probe";

  /** Bytes per call of one operation at one length. */
  record PerCall(long heap, long offHeap) {}

  /** Runs it; exit status 0 on success. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Allocations()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path dir = out != null ? out : Results.defaultDirectory();
    List<String> rows = new ArrayList<>();
    List<String> peaks = new ArrayList<>();
    for (String id : shapes) {
      Shape shape = Shape.parse(id);
      Workload w = shape.workload();
      RecurrentModel model = w.newModel();
      List<Workload> lengths = shape.anyLength() ? List.of(w, w.withSteps(2 * w.steps())) : List.of(w);
      for (Workload at : lengths) {
        INDArray x = at.input();
        INDArray y = at.targets();
        PerCall fwd = perCall(() -> model.forward(x));
        PerCall grad = perCall(() -> model.gradients(x, y));
        int t = at.steps();
        rows.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |",
            w.id(), t, bytes(fwd.heap()), bytes(fwd.heap() / t), bytes(fwd.offHeap()), bytes(fwd.offHeap() / t),
            bytes(grad.heap()), bytes(grad.heap() / t), bytes(grad.offHeap()), bytes(grad.offHeap() / t)));
        SideBySide.log("%s T%d: forward heap %s off-heap %s; gradients heap %s off-heap %s", w.id(), t,
            bytes(fwd.heap()), bytes(fwd.offHeap()), bytes(grad.heap()), bytes(grad.offHeap()));
      }
      long params = model.parameters().values().stream()
          .mapToLong(a -> a.length() * a.dataType().width()).sum();
      INDArray x = w.input();
      INDArray y = w.targets();
      long forwardFirst = firstCall(model, r -> r.forward(x));
      long gradientsFirst = firstCall(model, r -> r.gradients(x, y));
      peaks.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |", w.id(), w.label(), bytes(params),
          bytes(forwardFirst), bytes(params + forwardFirst), bytes(params + gradientsFirst)));
    }
    StringBuilder sb = new StringBuilder("# Allocations per call\n\n");
    sb.append(String.format(Locale.ROOT,
        "After %d warm-up calls, mean over %d calls. Heap: ThreadMXBean.getThreadAllocatedBytes. Off-heap: bytes of"
            + " ND4J arrays created during the call, counted by an ND4J workspace of size 0 that spills"
            + " (native temporaries inside ops are not seen). /T = divided by the sequence length.%n%n",
        warmup, calls));
    sb.append("| shape | T | forward heap | /T | forward off-heap | /T | gradients heap | /T | gradients off-heap | /T |\n");
    sb.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    rows.forEach(r -> sb.append(r).append('\n'));
    sb.append("\n## Off-heap high-water per model\n\n");
    sb.append("Parameters, plus everything the first call of a fresh replica allocates (work buffers for that B"
        + " and T, and the call's temporaries); an upper bound, since nothing is freed in between.\n\n");
    sb.append("| shape | workload | parameters | first forward allocates | forward high-water | gradients high-water |\n");
    sb.append("|---|---|--:|--:|--:|--:|\n");
    peaks.forEach(r -> sb.append(r).append('\n'));
    sb.append(String.format(Locale.ROOT, "%nProcess resident set at the end (Pointer.physicalBytes): %s.%n",
        bytes(Pointer.physicalBytes())));
    Files.createDirectories(dir);
    Path md = dir.resolve("allocations.md");
    Files.writeString(md, sb.toString(), StandardCharsets.UTF_8);
    System.out.println(sb);
    SideBySide.log("wrote %s", md);
    return 0;
  }

  private PerCall perCall(Supplier<Object> op) {
    for (int i = 0; i < warmup; i++) {
      op.get();
    }
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(thread);
    for (int i = 0; i < calls; i++) {
      op.get();
    }
    long heap = (mx.getThreadAllocatedBytes(thread) - before) / calls;
    long offHeap = 0;
    for (int i = 0; i < calls; i++) {
      offHeap += counted(op);
    }
    return new PerCall(heap, offHeap / calls);
  }

  /** Bytes of ND4J arrays created while {@code op} runs. */
  private static long counted(Supplier<Object> op) {
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(COUNTING, WORKSPACE)) {
      op.get();
      return ws.getThisCycleAllocations();
    }
  }

  /** What a fresh replica's first call allocates; the replica is dropped, its buffers lived in the workspace. */
  private static long firstCall(RecurrentModel model, Function<RecurrentModel, Object> op) {
    RecurrentModel fresh = model.replica();
    return counted(() -> op.apply(fresh));
  }

  private static String bytes(long b) {
    if (Math.abs(b) >= 1L << 20) {
      return String.format(Locale.ROOT, "%.2f MiB", b / 1048576.0);
    }
    if (Math.abs(b) >= 10L << 10) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return b + " B";
  }
}
