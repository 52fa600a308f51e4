package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.Main;
import dev.unroll.examples.charlm.ModelChoice;
import dev.unroll.training.Checkpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;

/** {@code char-lm train --spark}: the command-line tool finds this module and trains as one process does. */
class SparkCharLmTrainingTest {

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    assertEquals(0, code, "exit status; stderr: " + err);
    return out.toString();
  }

  @Test
  void sparkRunPrintsWhereAndMatchesTheSingleProcessRun(@TempDir Path dir) throws Exception {
    SparkTestContext.get();
    // a model without dropout: on Spark its masks are drawn per partition, so runs with dropout differ
    String[] common = {"char-lm", "train", "--model", "small", "--batch", "4", "--seq-len", "8",
        "--iterations", "3", "--lr-final", "1", "--validate-every", "0", "--sample-length", "1", "--no-progress"};
    String[] local = concat(common, "--out", dir.resolve("local").toString());
    String[] spark = concat(common, "--out", dir.resolve("spark").toString(), "--spark", "local[2]",
        "--partitions", "2");
    run(local);
    String printed = run(spark);
    assertTrue(printed.contains("gradients  on Spark (local[2]), the batch of 4 rows split over 2 partitions"),
        printed);
    Map<String, INDArray> a = Checkpoint.read(dir.resolve("local/checkpoint.ckpt")).weights();
    Map<String, INDArray> b = Checkpoint.read(dir.resolve("spark/checkpoint.ckpt")).weights();
    assertEquals(a.keySet(), b.keySet());
    // float32 sums of two shards' gradients differ from one process's in the last bits, and Adam
    // divides each gradient by its own running magnitude: for the embedding rows of rare characters,
    // whose gradients are near zero, those bits become a few parts in a thousand of a step (the exact
    // equivalence is SparkDataParallelTest's, in float64; float32 there within 1e-5 at fixed sizes)
    for (String name : a.keySet()) {
      double d = TestData.maxDiff(a.get(name), b.get(name));
      assertTrue(d < 5e-5, name + " differs by " + d + " after 3 float32 Adam steps");
    }
    INDArray initial = ModelChoice.SMALL.create(42).parameters().get("fc.bias");
    assertTrue(TestData.maxDiff(initial, b.get("fc.bias")) > 1e-3, "three steps must move the parameters");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
