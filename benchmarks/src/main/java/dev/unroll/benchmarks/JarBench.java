package dev.unroll.benchmarks;

import dev.unroll.runtime.RecurrentModel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Times one ND4J native jar (whatever is on the class path): generated models a..d forward and
 * forward+backward, Nd4j.gemm 32x128x512 and 2048^3, and libnd4j's fused lstmLayer forward in the
 * time-major layout on a and d. Every sample records wall time and the calling thread's CPU time.
 * Prints one CSV line per sample: tag,round,figure,i,wall_ms,cpu_ms,calls.
 */
public final class JarBench {
  static final ThreadMXBean TMX = ManagementFactory.getThreadMXBean();
  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  static String tag;
  static String round;
  static final List<String> lines = new ArrayList<>();

  interface Op {
    Object run() throws Exception;
  }

  static Object sink;

  /** warm-up: at least warmCalls and at least warmSec; then samples of `calls` calls each. */
  static void time(String figure, Op op, int warmCalls, double warmSec, int samples, int calls) throws Exception {
    System.gc();
    long t0 = System.nanoTime();
    for (int i = 0; i < warmCalls || System.nanoTime() - t0 < warmSec * 1e9; i++) {
      sink = op.run();
    }
    double[] wall = new double[samples];
    double[] cpu = new double[samples];
    double[] proc = new double[samples];
    for (int s = 0; s < samples; s++) {
      long w0 = System.nanoTime();
      long c0 = TMX.getCurrentThreadCpuTime();
      long p0 = OS.getProcessCpuTime();
      for (int k = 0; k < calls; k++) {
        sink = op.run();
      }
      long c1 = TMX.getCurrentThreadCpuTime();
      long p1 = OS.getProcessCpuTime();
      long w1 = System.nanoTime();
      wall[s] = (w1 - w0) / 1e6 / calls;
      cpu[s] = (c1 - c0) / 1e6 / calls;
      proc[s] = (p1 - p0) / 1e6 / calls;
      lines.add(String.format(Locale.ROOT, "%s,%s,%s,%d,%.6f,%.6f,%.6f,%d", tag, round, figure, s, wall[s], cpu[s], proc[s], calls));
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    Arrays.sort(proc);
    System.err.printf(Locale.ROOT, "%-28s wall med %10.4f ms  thread cpu med %10.4f ms  process cpu med %10.4f ms (n=%d x %d)%n", figure,
        wall[samples / 2], cpu[samples / 2], proc[samples / 2], samples, calls);
  }

  static INDArray fusedForward(INDArray xTnc, INDArray wx, INDArray wr, INDArray b, INDArray fcWt, INDArray fcB,
      boolean manyToMany, int B, int T, int H) {
    DynamicCustomOp op = DynamicCustomOp.builder("lstmLayer")
        .addInputs(xTnc, wx, wr, b)
        .addIntegerArguments(0 /* time major [sL, bS, nIn] */, 0, 2, 0, 0)
        .addFloatingPointArguments(0.0)
        // hasBiases, hasSeqLen, hasInitH, hasInitC, hasPH, retFullSeq, retLastH, retLastC
        .addBooleanArguments(true, false, false, false, false, true, true, true)
        .build();
    // oneDNN's helper (M2.1) needs retFullSeq and retLastH == retLastC; with both false it fails with
    // "object is not initialized", so ask for all three outputs: h [T, B, H], hL [B, H], cL [B, H].
    INDArray[] outs = Nd4j.exec(op);
    INDArray rows = manyToMany ? outs[0].permute(1, 0, 2).dup('c').reshape((long) B * T, H) : outs[1];
    return rows.mmul(fcWt).addiRowVector(fcB);
  }

  public static void main(String[] args) throws Exception {
    tag = args[0];
    round = args[1];
    String out = args[2];
    String what = args.length > 3 ? args[3] : "all";
    if (args.length > 4 && args[4].equals("nohelpers")) {
      Nd4j.getEnvironment().allowHelpers(false);
    }
    String warn = Threads.apply(1);
    System.err.println("jar " + tag + " round " + round + " threads: " + Threads.describe() + (warn == null ? "" : " WARN " + warn));
    for (String l : Files.readAllLines(Path.of("/proc/self/maps"))) {
      if (l.contains("libnd4jcpu") || l.contains("libopenblas")) {
        System.err.println("loaded: " + l.substring(l.lastIndexOf(' ') + 1));
        break;
      }
    }
    Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("libnd4jcpu.so"))
        .map(l -> l.substring(l.lastIndexOf(' ') + 1)).distinct().forEach(p -> System.err.println("libnd4jcpu: " + p));
    String bi = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
    System.err.println("buildInfo: " + bi.replace("\n", " | "));
    System.err.println("helpersAllowed: " + Nd4j.getEnvironment().helpersAllowed());

    // (2) GEMM
    if (what.equals("all") || what.contains("gemm")) {
      Nd4j.getRandom().setSeed(42);
      INDArray a = Nd4j.rand(DataType.FLOAT, 32, 128);
      INDArray b = Nd4j.rand(DataType.FLOAT, 128, 512);
      INDArray c = Nd4j.create(DataType.FLOAT, 32, 512);
      time("gemm_32x128x512", () -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0), 2000, 2, 31, 200);
      INDArray A = Nd4j.rand(DataType.FLOAT, 2048, 2048);
      INDArray Bm = Nd4j.rand(DataType.FLOAT, 2048, 2048);
      INDArray C = Nd4j.create(DataType.FLOAT, 2048, 2048);
      time("gemm_2048", () -> Nd4j.gemm(A, Bm, C, false, false, 1.0, 0.0), 2, 1, 9, 1);
    }

    // (1) generated models
    if (what.equals("all") || what.contains("models")) {
      for (Shape s : new Shape[] {Shape.A, Shape.B, Shape.C, Shape.D}) {
        Workload w = s.workload();
        RecurrentModel m = w.newModel();
        INDArray x = w.input();
        INDArray y = w.targets();
        boolean big = s == Shape.B || s == Shape.D;
        int samples = big ? 11 : 25;
        time(s.id() + "_forward", () -> m.forward(x), 3, 2, samples, 1);
        time(s.id() + "_fwdbwd", () -> m.gradients(x, y).loss(), 3, 2, samples, 1);
      }
    }

    // (3) fused lstmLayer forward, time major, a and d
    if (what.equals("all") || what.contains("fused")) {
      for (Shape s : new Shape[] {Shape.A, Shape.D}) {
        Workload w = s.workload();
        RecurrentModel m = w.newModel();
        INDArray x = w.input();
        Map<String, INDArray> p = m.parameters();
        INDArray wx = p.get("rnn.weight_ih_l0").transpose().dup('c');
        INDArray wr = p.get("rnn.weight_hh_l0").transpose().dup('c');
        INDArray bias = p.get("rnn.bias_ih_l0").add(p.get("rnn.bias_hh_l0"));
        INDArray fcWt = p.get("fc.weight").transpose().dup('c');
        INDArray fcB = p.get("fc.bias").dup();
        INDArray xT = x.permute(1, 0, 2).dup('c');
        int B = w.batch(), T = w.steps(), H = w.hidden();
        INDArray ours = m.forward(x);
        INDArray theirs = fusedForward(xT, wx, wr, bias, fcWt, fcB, w.manyToMany(), B, T, H);
        double diff = ours.reshape(theirs.shape()).sub(theirs).amaxNumber().doubleValue();
        System.err.printf(Locale.ROOT, "fused %s max |logits diff| vs unroll: %.3g%n", s.id(), diff);
        int samples = s == Shape.D ? 11 : 25;
        time(s.id() + "_fused_fwd", () -> fusedForward(xT, wx, wr, bias, fcWt, fcB, w.manyToMany(), B, T, H), 3, 2,
            samples, 1);
        if (tag.contains("onednn")) {
          Nd4j.getEnvironment().allowHelpers(false);
          INDArray th2 = fusedForward(xT, wx, wr, bias, fcWt, fcB, w.manyToMany(), B, T, H);
          System.err.printf(Locale.ROOT, "fused %s (helpers off) max |logits diff| vs unroll: %.3g%n", s.id(),
              ours.reshape(th2.shape()).sub(th2).amaxNumber().doubleValue());
          time(s.id() + "_fused_fwd_nohelpers", () -> fusedForward(xT, wx, wr, bias, fcWt, fcB, w.manyToMany(), B, T, H),
              3, 2, samples, 1);
          Nd4j.getEnvironment().allowHelpers(true);
        }
      }
    }
    Files.write(Path.of(out), lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }
}
