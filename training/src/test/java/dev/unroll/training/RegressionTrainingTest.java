package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.ModelConfig.LossType;
import dev.unroll.runtime.internal.MeanSquaredError;
import dev.unroll.training.data.Batch;
import dev.unroll.training.data.PaddedBatches;
import dev.unroll.training.optim.Adam;
import dev.unroll.training.optim.Sgd;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Models trained by mean squared error ({@code @Output(loss = Loss.MSE)}) through the training module:
 * float-target batches where the mask decides, the trainer's validation, truncated BPTT, and
 * checkpoints (format version 2 stores the loss; version-1 files still read).
 */
class RegressionTrainingTest {

  @TempDir Path dir;

  /** Sequences of 2 to 7 steps of 3 features, with per-step targets (two sums of the features, and so on). */
  private static List<double[][]> inputs(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<double[][]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[][] s = new double[2 + r.nextInt(6)][3];
      for (double[] step : s) {
        for (int f = 0; f < 3; f++) {
          step[f] = r.nextDouble(-1, 1);
        }
      }
      out.add(s);
    }
    return out;
  }

  private static List<double[][]> stepTargets(List<double[][]> inputs) {
    List<double[][]> out = new ArrayList<>();
    for (double[][] s : inputs) {
      double[][] y = new double[s.length][4];
      for (int t = 0; t < s.length; t++) {
        y[t] = new double[] {s[t][0] + s[t][1], s[t][2], -s[t][0], t == 0 ? 0 : s[t - 1][1]};
      }
      out.add(y);
    }
    return out;
  }

  private static List<double[]> lastTargets(List<double[][]> inputs) {
    List<double[]> out = new ArrayList<>();
    for (double[][] s : inputs) {
      double sum = 0;
      for (double[] step : s) {
        sum += step[0];
      }
      out.add(new double[] {sum / s.length, s[s.length - 1][2]});
    }
    return out;
  }

  @Test
  void featureSeries_padsTargetsWithZeros_andTheMaskDecides() {
    List<double[][]> x = inputs(1, 5);
    PaddedBatches batches = PaddedBatches.featureSeries(x, stepTargets(x), 5, false, 0, DataType.DOUBLE);
    Batch b = batches.next();
    int t = b.steps();
    assertEquals(List.of(5L, (long) t, 4L), List.of(b.y().shape()[0], b.y().shape()[1], b.y().shape()[2]));
    assertEquals(DataType.DOUBLE, b.y().dataType());
    for (int i = 0; i < 5; i++) {
      for (int s = 0; s < t; s++) {
        boolean valid = s < x.get(i).length;
        assertEquals(valid ? 1.0 : 0.0, b.mask().getDouble(i, s));
        if (!valid) {
          assertEquals(0.0, b.y().getDouble(i, s, 0));
        }
      }
    }
    PaddedBatches values = PaddedBatches.featureValues(x, lastTargets(x), 2, false, 0, DataType.FLOAT);
    assertEquals(List.of(2L, 2L), List.of(values.next().y().shape()[0], values.next().y().shape()[1]));
    assertThrows(IllegalArgumentException.class,
        () -> PaddedBatches.featureSeries(x, stepTargets(inputs(2, 5)), 2, false, 0, DataType.DOUBLE));
  }

  @Test
  void validation_isTheMeanOverEveryCountedElement_acrossBatches() throws IOException {
    UnrolledTestModels_SeriesModel model = new UnrolledTestModels_SeriesModel(3, DataType.DOUBLE);
    List<double[][]> x = inputs(4, 7);
    List<double[][]> y = stepTargets(x);
    Trainer trainer = Trainer.builder(model, new Sgd(0.1), PaddedBatches.featureSeries(x, y, 3, true, 1,
            DataType.DOUBLE))
        .validation(PaddedBatches.featureSeries(x, y, 3, false, 0, DataType.DOUBLE), 1)
        .iterations(1).progressBar(false).build();
    // by hand, from the definition: Σ over valid steps and outputs of (ŷ − y)², over their count
    double sum = 0;
    long count = 0;
    for (int i = 0; i < x.size(); i++) {
      Batch one = PaddedBatches.featureSeries(List.<double[][]>of(x.get(i)), List.<double[][]>of(y.get(i)), 1, false,
          0, DataType.DOUBLE)
          .next();
      INDArray pred = model.forward(one.x());
      for (int t = 0; t < x.get(i).length; t++) {
        for (int j = 0; j < 4; j++) {
          double d = pred.getDouble(0, t, j) - y.get(i)[t][j];
          sum += d * d;
          count++;
        }
      }
    }
    assertEquals(sum / count, trainer.validate(), 1e-12);
  }

  @Test
  void trainingByMse_lowersTheValidationLoss_withAndWithoutTbptt() throws IOException {
    for (int backSteps : new int[] {0, 3}) {
      UnrolledTestModels_Forecaster model = new UnrolledTestModels_Forecaster(5);
      List<double[][]> x = inputs(6, 48);
      List<double[]> y = lastTargets(x);
      Trainer.Builder<Batch> b = Trainer.builder(model, new Adam(0.02),
              PaddedBatches.featureValues(x, y, 8, true, 2, DataType.FLOAT))
          .validation(PaddedBatches.featureValues(x, y, 16, false, 0, DataType.FLOAT), 10)
          .iterations(60).progressBar(false);
      if (backSteps > 0) {
        b.tbptt(backSteps);
      }
      Trainer trainer = b.build();
      double before = trainer.validate();
      Trainer.Result r = trainer.fit();
      assertTrue(r.lastValidationLoss() < 0.6 * before,
          "backSteps " + backSteps + ": validation MSE " + before + " -> " + r.lastValidationLoss());
    }
  }

  @Test
  void tbpttChunks_takeFloatTargets_andAWholeChunkIsTheFullGradient() {
    UnrolledTestModels_SeriesModel model = new UnrolledTestModels_SeriesModel(8, DataType.DOUBLE);
    List<double[][]> x = inputs(9, 4);
    Batch b = PaddedBatches.featureSeries(x, stepTargets(x), 4, false, 0, DataType.DOUBLE).next();
    Gradients full = model.gradients(b.x(), b.y(), b.mask());
    Tbptt<?> tbptt = Tbptt.of(model, b.steps());
    Gradients chunk = tbptt.gradients(b.x(), b.y(), b.mask());
    assertEquals(full.loss(), chunk.loss(), 1e-12);
    for (String p : full.asMap().keySet()) {
      assertEquals(0, full.get(p).distance2(chunk.get(p)), 1e-12, p);
    }
    assertEquals(MeanSquaredError.loss(model.forward(b.x(), b.mask()), b.y(), b.mask()), full.loss(), 1e-12);
  }

  @Test
  void checkpointVersion2_storesTheLoss_andRefusesAModelOfAnotherLoss() throws IOException {
    UnrolledTestModels_SeriesModel model = new UnrolledTestModels_SeriesModel(1);
    Path file = dir.resolve("series.zip");
    Checkpoint.save(file, model, new Sgd(0.1), new long[] {1}, 0, Map.of());
    Checkpoint.Contents c = Checkpoint.read(file);
    assertEquals(2, c.formatVersion());
    assertEquals(LossType.MSE, c.config().loss());
    UnrolledTestModels_SeriesModel other = new UnrolledTestModels_SeriesModel(2);
    Checkpoint.load(file, other, new Sgd(0.1));
    assertEquals(model.parameters(), other.parameters());
    // the Tagger has the same shapes, but is trained by cross-entropy
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.load(file, new UnrolledTestModels_Tagger(1), new Sgd(0.1)));
    assertTrue(e.getMessage().contains("loss: CROSS_ENTROPY here, MSE there"), e.getMessage());
  }

  @Test
  void aVersion1Checkpoint_stillReads_asACrossEntropyModel() throws IOException, URISyntaxException {
    Path v1 = Path.of(RegressionTrainingTest.class.getResource("/checkpoints/char-lm-v1.zip").toURI());
    Path copy = Files.copy(v1, dir.resolve("v1.zip"));
    Checkpoint.Contents c = Checkpoint.read(copy);
    assertEquals(1, c.formatVersion());
    assertEquals(LossType.CROSS_ENTROPY, c.config().loss());
    assertEquals(5, c.dataPosition());
    assertEquals("format version 1", c.metadata().get("note"));
    UnrolledTestModels_CharLm model = new UnrolledTestModels_CharLm(99);
    Checkpoint.load(copy, model, new Sgd(0.1));
    assertEquals(new UnrolledTestModels_CharLm(1).parameters(), model.parameters());
  }
}
