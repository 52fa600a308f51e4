package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Batch inference on {@code local[2]} against single-process {@code forward} on the same rows. */
class SparkScorerTest {

  private final JavaSparkContext spark = SparkTestContext.get();

  @Test
  void manyToOneLogitsAndClassesEqualForwardInTheInputsOrder() {
    var model = new UnrolledTestModels_TinyClassifier(21, DataType.DOUBLE);
    SplittableRandom r = new SplittableRandom(3);
    List<double[][]> rows = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      int len = 1 + r.nextInt(6);
      double[][] row = new double[len][3];
      for (double[] step : row) {
        for (int f = 0; f < 3; f++) {
          step[f] = r.nextGaussian();
        }
      }
      rows.add(row);
    }
    List<double[]> logits;
    List<int[]> classes;
    try (SparkScorer scorer = SparkScorer.of(spark, model, 4)) {
      logits = scorer.logitsOfFeatures(spark.parallelize(rows, 3)).collect();
      classes = scorer.classesOfFeatures(spark.parallelize(rows, 3)).collect();
    }
    assertEquals(13, logits.size());
    for (int i = 0; i < rows.size(); i++) {
      double[][] row = rows.get(i);
      INDArray x = Nd4j.createFromArray(row).reshape(1, row.length, 3);
      double[] expected = model.forward(x).data().asDouble();
      assertArrayEquals(expected, logits.get(i), 1e-12, "row " + i);
      assertArrayEquals(new int[] {argmax(expected, 0, 4)}, classes.get(i), "row " + i);
    }
  }

  @Test
  void manyToManyFromAnNpzEqualsForwardStepByStep(@TempDir Path dir) throws IOException {
    var trained = new UnrolledTestModels_TinyLm(22, DataType.DOUBLE);
    Path npz = dir.resolve("lm.npz");
    trained.exportWeights(npz);
    SplittableRandom r = new SplittableRandom(4);
    List<long[]> rows = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      long[] ids = new long[2 + r.nextInt(5)];
      for (int t = 0; t < ids.length; t++) {
        ids[t] = r.nextInt(9);
      }
      rows.add(ids);
    }
    List<double[]> logits;
    List<int[]> classes;
    try (SparkScorer scorer =
        SparkScorer.load(spark, new UnrolledTestModels_TinyLm(0, DataType.DOUBLE), npz, 3)) {
      logits = scorer.logits(spark.parallelize(rows, 2)).collect();
      classes = scorer.classes(spark.parallelize(rows, 2)).collect();
    }
    for (int i = 0; i < rows.size(); i++) {
      long[] ids = rows.get(i);
      double[] expected =
          trained.forward(Nd4j.createFromArray(ids).reshape(1, ids.length)).data().asDouble();
      assertEquals(ids.length * 9, logits.get(i).length);
      assertArrayEquals(expected, logits.get(i), 1e-12, "row " + i);
      for (int t = 0; t < ids.length; t++) {
        assertEquals(argmax(expected, t * 9, 9), classes.get(i)[t], "row " + i + " step " + t);
      }
    }
  }

  @Test
  void wrongInputKindIsRefusedWithTheMethodToUse() {
    var model = new UnrolledTestModels_TinyLm(23);
    try (SparkScorer scorer = SparkScorer.of(spark, model, 8)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> scorer.logitsOfFeatures(spark.parallelize(List.<double[][]>of(new double[][] {{1, 2, 3}}))));
      assertTrue(e.getMessage().endsWith("reads token ids, not feature vectors: use logits or classes"),
          e.getMessage());
    }
  }

  private static int argmax(double[] v, int from, int n) {
    int best = 0;
    for (int c = 1; c < n; c++) {
      if (v[from + c] > v[from + best]) {
        best = c;
      }
    }
    return best;
  }
}
