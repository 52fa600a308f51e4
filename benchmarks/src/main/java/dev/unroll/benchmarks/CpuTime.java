package dev.unroll.benchmarks;

import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.RuntimeOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Thread CPU time (and wall time) per call of our models' forward and forward+backward: unlike wall-clock time, CPU time
 * barely moves when other processes share the cores, so two settings can be compared on a busy
 * machine. It counts only the calling thread, so run with one thread ({@code OMP_NUM_THREADS=1}),
 * where ND4J computes on the caller's thread. To compare the step products in Java with native gemm:
 *
 * <pre>
 *   OMP_NUM_THREADS=1 java -cp benchmarks/target/benchmarks.jar dev.unroll.benchmarks.CpuTime --shapes c
 *   OMP_NUM_THREADS=1 java -Dunroll.maxJavaProduct=0 -cp benchmarks/target/benchmarks.jar dev.unroll.benchmarks.CpuTime --shapes c
 * </pre>
 */
@Command(name = "CpuTime", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Median thread CPU time per forward and forward+backward call of our models.")
public final class CpuTime implements Callable<Integer> {

  @Option(names = "--shapes", split = ",", paramLabel = "ID", defaultValue = "c",
      description = "Shapes (default: ${DEFAULT-VALUE}).")
  List<String> shapes;

  @Option(names = "--calls", defaultValue = "15", description = "Measured calls (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--warmup", defaultValue = "135",
      description = "Calls before measuring, enough for the JIT to settle (default: ${DEFAULT-VALUE}).")
  int warmup;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CpuTime()).execute(args));
  }

  @Override
  public Integer call() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.printf("threads: %s; Java step products up to %,d multiply-adds (-Dunroll.maxJavaProduct); "
        + "directions in parallel: %s (-Dunroll.parallelDirections)%n",
        Threads.describe(), RuntimeOptions.current().maxJavaProduct(),
        RuntimeOptions.current().parallelDirections());
    for (String id : shapes) {
      Workload w = Shape.parse(id).workload();
      RecurrentModel model = w.newModel();
      INDArray x = w.input();
      INDArray y = w.targets();
      double[] forward = new double[calls];
      double[] both = new double[calls];
      double[] forwardWall = new double[calls];
      double[] bothWall = new double[calls];
      for (int i = 0; i < warmup + calls; i++) {
        long w0 = System.nanoTime();
        long t0 = mx.getCurrentThreadCpuTime();
        model.forward(x);
        long t1 = mx.getCurrentThreadCpuTime();
        long w1 = System.nanoTime();
        model.gradients(x, y);
        long t2 = mx.getCurrentThreadCpuTime();
        long w2 = System.nanoTime();
        if (i >= warmup) {
          forward[i - warmup] = (t1 - t0) / 1e6;
          both[i - warmup] = (t2 - t1) / 1e6;
          forwardWall[i - warmup] = (w1 - w0) / 1e6;
          bothWall[i - warmup] = (w2 - w1) / 1e6;
        }
      }
      System.out.printf("%s: forward %s ms, forward+backward %s ms (thread CPU, median [quartiles] of %d calls); "
          + "wall: forward %s ms, forward+backward %s ms%n",
          w.label(), summary(forward), summary(both), calls, summary(forwardWall), summary(bothWall));
    }
    return 0;
  }

  private static String summary(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return String.format("%.2f [%.2f–%.2f]", v[n / 2], v[n / 4], v[(3 * n) / 4]);
  }
}
