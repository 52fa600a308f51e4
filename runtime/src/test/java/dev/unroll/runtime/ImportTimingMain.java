package dev.unroll.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures the cost of bounded reading: the time to import the weights of the examples' 2x256
 * character LSTM ({@code char-lm --model medium}, 938,240 float32 parameters, a 3.75 MB {@code .npz})
 * into its parameters, stored (as {@link Npz#write} writes it) and deflated (as
 * {@code numpy.savez_compressed} would). Not a test: run by hand (with {@code OMP_NUM_THREADS=1}, so
 * that all the work is on the timed thread), printing the median CPU time of the calling thread over 60
 * imports after 30 warm-up ones (CPU time rather than wall time, which other processes disturb), for
 * {@code read} ({@link Npz#read} then {@link Npz#importInto}, what {@code importWeights} did before
 * reading was bounded) and {@code bounded} ({@link
 * Npz#importFile}, what it does now).
 */
final class ImportTimingMain {

  private ImportTimingMain() {}

  /**
   * Arguments: a scratch directory for the two files, and {@code read} to time only the {@code read}
   * path (so that it runs against the classes of before, which lack {@link Npz#importFile}).
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Map<String, INDArray> params = charLm();
    Path stored = dir.resolve("char-lm-stored.npz");
    Npz.write(stored, params);
    Path deflated = dir.resolve("char-lm-deflated.npz");
    Files.write(deflated, UntrustedNpzTest.zip(npyEntries(stored), true));
    boolean readOnly = args.length > 1 && args[1].equals("read");
    for (Path file : new Path[] {stored, deflated}) {
      System.out.printf("%s (%d bytes): read %.2f ms", file.getFileName(), Files.size(file),
          median(() -> Npz.importInto(params, Npz.read(file), "x")));
      if (!readOnly) {
        System.out.printf(", bounded %.2f ms", median(() -> Npz.importFile(params, file)));
      }
      System.out.println();
    }
  }

  private static Map<String, INDArray> charLm() {
    Map<String, INDArray> p = new LinkedHashMap<>();
    p.put("embedding.weight", Nd4j.rand(DataType.FLOAT, 256, 64));
    for (int l = 0; l < 2; l++) {
      p.put("rnn.weight_ih_l" + l, Nd4j.rand(DataType.FLOAT, 1024, l == 0 ? 64 : 256));
      p.put("rnn.weight_hh_l" + l, Nd4j.rand(DataType.FLOAT, 1024, 256));
      p.put("rnn.bias_ih_l" + l, Nd4j.rand(DataType.FLOAT, 1024));
      p.put("rnn.bias_hh_l" + l, Nd4j.rand(DataType.FLOAT, 1024));
    }
    p.put("fc.weight", Nd4j.rand(DataType.FLOAT, 256, 256));
    p.put("fc.bias", Nd4j.rand(DataType.FLOAT, 256));
    return p;
  }

  private static Map<String, byte[]> npyEntries(Path npz) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(npz.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        out.put(e.getName(), zip.getInputStream(e).readAllBytes());
      }
    }
    return out;
  }

  private interface Import {
    void run() throws IOException;
  }

  private static double median(Import task) throws IOException {
    for (int i = 0; i < 30; i++) {
      task.run();
    }
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long[] ns = new long[60];
    for (int i = 0; i < ns.length; i++) {
      long t = cpu.getCurrentThreadCpuTime();
      task.run();
      ns[i] = cpu.getCurrentThreadCpuTime() - t;
    }
    Arrays.sort(ns);
    return ns[ns.length / 2] / 1e6;
  }
}
