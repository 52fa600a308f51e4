package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.training.GradientClipping;
import dev.unroll.training.Tbptt;
import dev.unroll.training.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BroadcastBlockId;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Data-parallel training on {@code local[2]} against the same training in one process. */
class SparkDataParallelTest {

  private static final int BATCH = 8;
  private static final int STEPS = 6;
  private static final double CLIP = 0.1;

  private final JavaSparkContext spark = SparkTestContext.get();

  /** Five chunks of TBPTT with Adam and clipping; returns the largest gradient norm before clipping. */
  private static double train(StatefulModel<?> model, long seed) {
    return train(model, seed, new ArrayList<>());
  }

  /** As {@link #train(StatefulModel, long)}, adding the ids of a data-parallel model's broadcasts. */
  private static double train(StatefulModel<?> model, long seed, List<Long> broadcasts) {
    SplittableRandom r = new SplittableRandom(seed);
    Tbptt<?> tbptt = Tbptt.of(model, STEPS);
    Adam adam = new Adam(0.01);
    double largestNorm = 0;
    for (int step = 1; step <= 5; step++) {
      INDArray x = TestData.tokens(r, BATCH, STEPS, 9);
      INDArray y = TestData.tokens(r, BATCH, STEPS, 9);
      model.seedDropout(step * 1000L);
      Gradients g = tbptt.gradients(x, y, null);
      largestNorm = Math.max(largestNorm, GradientClipping.clipGlobalNorm(g.asMap(), CLIP));
      adam.step(model.parameters(), g.asMap());
      if (model instanceof SparkDataParallel p) {
        broadcasts.add(p.lastStep().broadcastId());
      }
    }
    return largestNorm;
  }

  private static double maxParameterDiff(RecurrentModel a, RecurrentModel b) {
    double d = 0;
    for (Map.Entry<String, INDArray> e : a.parameters().entrySet()) {
      d = Math.max(d, TestData.maxDiff(e.getValue(), b.parameters().get(e.getKey())));
    }
    return d;
  }

  @Test
  void float64TwoPartitionsEqualOneProcessWithin1e10() {
    var local = new UnrolledTestModels_TinyLm(7, DataType.DOUBLE);
    var remote = new UnrolledTestModels_TinyLm(7, DataType.DOUBLE);
    SparkDataParallel parallel = SparkDataParallel.of(spark, remote, 2);
    assertInstanceOf(StatefulModel.class, parallel);
    double norm = train(local, 1);
    train((StatefulModel<?>) parallel, 1);
    assertTrue(norm > CLIP, "clipping must be active for the test to mean something: " + norm);
    double d = maxParameterDiff(local, remote);
    assertTrue(d < 1e-10, "parameters differ by " + d);
    assertTrue(maxParameterDiff(local, new UnrolledTestModels_TinyLm(7, DataType.DOUBLE)) > 1e-3,
        "training must have moved the parameters");
  }

  @Test
  void float32TwoPartitionsEqualOneProcessWithin1e5() {
    var local = new UnrolledTestModels_TinyLm(8);
    var remote = new UnrolledTestModels_TinyLm(8);
    train(local, 2);
    train((StatefulModel<?>) SparkDataParallel.of(spark, remote, 2), 2);
    double d = maxParameterDiff(local, remote);
    assertTrue(d < 1e-5, "parameters differ by " + d);
  }

  @Test
  void onePartitionIsExactEvenWithDropout() {
    var local = new UnrolledTestModels_TinyDropoutLm(9);
    var remote = new UnrolledTestModels_TinyDropoutLm(9);
    train(local, 3);
    train((StatefulModel<?>) SparkDataParallel.of(spark, remote, 1), 3);
    for (Map.Entry<String, INDArray> e : local.parameters().entrySet()) {
      assertArrayEquals(e.getValue().data().asFloat(), remote.parameters().get(e.getKey()).data().asFloat(),
          e.getKey());
    }
  }

  @Test
  void dropoutOnTwoPartitionsIsReproducibleButNotOneProcess() {
    var a = new UnrolledTestModels_TinyDropoutLm(9, DataType.DOUBLE);
    var b = new UnrolledTestModels_TinyDropoutLm(9, DataType.DOUBLE);
    var local = new UnrolledTestModels_TinyDropoutLm(9, DataType.DOUBLE);
    train((StatefulModel<?>) SparkDataParallel.of(spark, a, 2), 4);
    train((StatefulModel<?>) SparkDataParallel.of(spark, b, 2), 4);
    train(local, 4);
    assertEquals(0, maxParameterDiff(a, b), "same seeds, same partitions: the same run");
    assertTrue(maxParameterDiff(a, local) > 1e-6, "other masks on partition 1 than one process draws");
  }

  @Test
  void unevenMasksAndIgnoredTargetsGiveTheMeanOverTheWholeBatch() {
    SplittableRandom r = new SplittableRandom(5);
    var model = new UnrolledTestModels_TinyTagger(11, DataType.DOUBLE);
    int[] lengths = {7, 7, 6, 7, 1, 2, 1, 3};
    INDArray x = TestData.features(r, BATCH, 7, 3, DataType.DOUBLE);
    INDArray y = TestData.tokens(r, BATCH, 7, 4);
    for (int row = 0; row < BATCH; row++) {
      for (int t = lengths[row]; t < 7; t++) {
        y.putScalar(row, t, -100);
      }
    }
    INDArray mask = TestData.mask(lengths, 7, DataType.DOUBLE);
    Gradients expected = model.replica().gradients(x, y, mask);
    Gradients actual = SparkDataParallel.of(spark, model, 2).gradients(x, y, mask);
    assertEquals(expected.loss(), actual.loss(), 1e-13);
    double unweighted = 0;
    List<Gradients> halves = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      var rows = NDArrayIndex.interval(p * 4, p * 4 + 4);
      halves.add(model.replica().gradients(x.get(rows).dup(), y.get(rows).dup(), mask.get(rows).dup()));
    }
    for (String name : expected.asMap().keySet()) {
      double d = TestData.maxDiff(expected.get(name), actual.get(name));
      assertTrue(d < 1e-13, name + " differs by " + d);
      INDArray plainMean = halves.get(0).get(name).add(halves.get(1).get(name)).div(2);
      unweighted = Math.max(unweighted, TestData.maxDiff(expected.get(name), plainMean));
    }
    assertTrue(unweighted > 1e-3, "the shards' plain mean would differ (27 against 7 targets): " + unweighted);
  }

  @Test
  void mseWithUnevenMasks_weighsEachShardByItsCountedElements() {
    SplittableRandom r = new SplittableRandom(9);
    var model = new UnrolledTestModels_TinySeries(13, DataType.DOUBLE);
    int[] lengths = {7, 7, 6, 7, 1, 2, 1, 3};
    INDArray x = TestData.features(r, BATCH, 7, 3, DataType.DOUBLE);
    INDArray y = TestData.features(r, BATCH, 7, 2, DataType.DOUBLE);
    INDArray mask = TestData.mask(lengths, 7, DataType.DOUBLE);
    Gradients expected = model.replica().gradients(x, y, mask);
    Gradients actual = SparkDataParallel.of(spark, model, 2).gradients(x, y, mask);
    assertEquals(expected.loss(), actual.loss(), 1e-13);
    double unweighted = 0;
    List<Gradients> halves = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      var rows = NDArrayIndex.interval(p * 4, p * 4 + 4);
      halves.add(model.replica().gradients(x.get(rows).dup(), y.get(rows).dup(), mask.get(rows).dup()));
    }
    for (String name : expected.asMap().keySet()) {
      double d = TestData.maxDiff(expected.get(name), actual.get(name));
      assertTrue(d < 1e-13, name + " differs by " + d);
      INDArray plainMean = halves.get(0).get(name).add(halves.get(1).get(name)).div(2);
      unweighted = Math.max(unweighted, TestData.maxDiff(expected.get(name), plainMean));
    }
    assertTrue(unweighted > 1e-3, "the shards' plain mean would differ (54 against 14 elements): " + unweighted);
  }

  @Test
  void manyToOneWithMasksEqualsOneProcess() {
    SplittableRandom r = new SplittableRandom(6);
    var model = new UnrolledTestModels_TinyClassifier(12, DataType.DOUBLE);
    int[] lengths = {5, 2, 4, 1, 5, 3, 2};
    INDArray x = TestData.features(r, 7, 5, 3, DataType.DOUBLE);
    INDArray y = TestData.tokens(r, 1, 7, 4).reshape(7);
    INDArray mask = TestData.mask(lengths, 5, DataType.DOUBLE);
    Gradients expected = model.replica().gradients(x, y, mask);
    SparkDataParallel parallel = SparkDataParallel.of(spark, model, 2);
    assertNotEquals(StatefulModel.class, parallel.getClass());
    Gradients actual = parallel.gradients(x, y, mask);
    assertEquals(expected.loss(), actual.loss(), 1e-13);
    for (String name : expected.asMap().keySet()) {
      assertTrue(TestData.maxDiff(expected.get(name), actual.get(name)) < 1e-13, name);
    }
    SparkDataParallel.StepReport report = parallel.lastStep();
    long parameterBytes = 0;
    for (INDArray p : model.parameters().values()) {
      parameterBytes += 8 * p.length();
    }
    assertEquals(parameterBytes, report.broadcastBytes());
    assertEquals(2 * parameterBytes, report.resultBytes(), "each partition returns one gradient per parameter");
  }

  @Test
  void broadcastsAreDestroyedAfterEveryStep() throws InterruptedException {
    var model = new UnrolledTestModels_TinyLm(13);
    List<Long> ids = new ArrayList<>();
    train((StatefulModel<?>) SparkDataParallel.of(spark, model, 2), 5, ids);
    assertEquals(5, ids.stream().distinct().count(), "one broadcast per step");
    assertTrue(ExecutorModels.held() <= 1, "executor models held: " + ExecutorModels.held());
    int left = blocksOf(ids);
    for (int i = 0; i < 50 && left > 0; i++) {
      Thread.sleep(100);
      left = blocksOf(ids);
    }
    assertEquals(0, left, "blocks of the steps' broadcasts left in the block manager");
  }

  /** The blocks (whole values and pieces) of these broadcasts that the block manager still holds. */
  private static int blocksOf(List<Long> broadcasts) {
    scala.collection.immutable.Seq<BlockId> held = SparkEnv.get().blockManager().getMatchingBlockIds(
        id -> id instanceof BroadcastBlockId b && broadcasts.contains(b.broadcastId()));
    return held.size();
  }

  @Test
  void aBatchSmallerThanThePartitionsIsRefusedWithTheFix() {
    var model = new UnrolledTestModels_TinyLm(14);
    SplittableRandom r = new SplittableRandom(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkDataParallel.of(spark, model, 4).gradients(TestData.tokens(r, 3, 5, 9), TestData.tokens(r, 3, 5, 9)));
    assertEquals("a batch of 3 rows cannot be split over 4 partitions (each needs at least one row): "
        + "use at most 3 partitions or a larger batch", e.getMessage());
  }

  @Test
  void rowsAreSplitEvenly() {
    assertArrayEquals(new long[] {0, 3, 6, 8, 10}, SparkDataParallel.bounds(10, 4));
    assertArrayEquals(new long[] {0, 8}, SparkDataParallel.bounds(8, 1));
  }
}
