package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.RecurrentModel;
import dev.unroll.training.data.CharCorpus;
import dev.unroll.training.data.PaddedBatches;
import dev.unroll.training.data.SequenceBatches;
import dev.unroll.training.data.Split;
import dev.unroll.training.optim.Adam;
import dev.unroll.training.optim.Optimizer;
import dev.unroll.training.optim.Sgd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

class TrainerTest {

  @TempDir Path dir;

  @Test
  void aCharLmLearnsARepeatingTextAndTheMetricsAreWritten() throws IOException {
    CharCorpus corpus = CharCorpus.of("abcd".repeat(60));
    Split<int[]> split = corpus.split(0.2);
    UnrolledTestModels_CharLm model = new UnrolledTestModels_CharLm(5);
    Path csv = dir.resolve("metrics.csv");
    Trainer trainer =
        Trainer.builder(model, new Adam(0.05), new SequenceBatches(split.train(), 4, 8))
            .validation(new SequenceBatches(split.validation(), 2, 8), 10)
            .iterations(30)
            .metricsCsv(csv)
            .progressBar(false)
            .build();
    double before = trainer.validate();
    Trainer.Result r = trainer.fit();
    assertEquals(Trainer.StopReason.ITERATIONS, r.reason());
    assertEquals(30, r.iterations());
    assertTrue(r.lastValidationLoss() < 0.5 * before,
        "validation loss " + before + " -> " + r.lastValidationLoss());
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertEquals("iteration,epoch,train_loss,val_loss,lr,seconds", lines.get(0));
    assertEquals(31, lines.size());
    String[] row10 = lines.get(10).split(",", -1);
    assertEquals("10", row10[0]);
    assertTrue(!row10[3].isEmpty() && lines.get(9).split(",", -1)[3].isEmpty());
    assertEquals(0.05, Double.parseDouble(row10[4]), 0);
    assertEquals(r.lastValidationLoss(), Double.parseDouble(lines.get(30).split(",", -1)[3]), 0);
  }

  private static List<int[]> sequences(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = new int[2 + r.nextInt(5)];
      for (int t = 0; t < s.length; t++) {
        s[t] = r.nextInt(11);
      }
      out.add(s);
    }
    return out;
  }

  private static Trainer trainer(
      RecurrentModel model, Optimizer opt, long iterations, Path checkpoint) {
    return trainer(model, opt, iterations, checkpoint, null);
  }

  private static Trainer trainer(
      RecurrentModel model, Optimizer opt, long iterations, Path checkpoint, Path csv) {
    List<int[]> x = sequences(1, 10);
    List<int[]> y = new ArrayList<>();
    for (int[] s : x) {
      int[] t = new int[s.length];
      for (int i = 0; i < s.length; i++) {
        t[i] = (s[i] * 3 + 1) % 11;
      }
      y.add(t);
    }
    Trainer.Builder b =
        Trainer.builder(model, opt, PaddedBatches.tokens(x, y, 3, true, 99, DataType.FLOAT))
            .validation(PaddedBatches.tokens(x, y, 5, false, 0, DataType.FLOAT), 3)
            .iterations(iterations)
            .schedule(LearningRateSchedule.stepPerIteration(3, 0.5))
            .clipNorm(1.0)
            .earlyStopping(3)
            .metricsCsv(csv)
            .progressBar(false);
    if (checkpoint != null) {
      b.checkpoint(checkpoint, 0);
    }
    return b.build();
  }

  @Test
  void resumingFromACheckpointEqualsUninterruptedTraining() throws IOException {
    UnrolledTestModels_CharLm straight = new UnrolledTestModels_CharLm(11);
    Adam straightAdam = new Adam(0.02);
    Trainer.Result full = trainer(straight, straightAdam, 9, null).fit();

    Path ck = dir.resolve("ck.zip");
    UnrolledTestModels_CharLm first = new UnrolledTestModels_CharLm(11);
    Path csv = dir.resolve("metrics.csv");
    trainer(first, new Adam(0.02), 5, ck, csv).fit(); // stops mid-epoch (4 batches per epoch)
    // a crashed run may have written rows after its last checkpoint: the resumed run drops them
    Files.writeString(csv, "6,1,9.9,,0.01,1.0\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);

    UnrolledTestModels_CharLm resumed = new UnrolledTestModels_CharLm(12345); // other weights
    Adam resumedAdam = new Adam(0.02);
    Trainer t = trainer(resumed, resumedAdam, 9, null, csv);
    t.resume(ck);
    assertEquals(5, t.iteration());
    Trainer.Result r = t.fit();

    assertEquals(9, r.iterations());
    for (Map.Entry<String, INDArray> e : straight.parameters().entrySet()) {
      INDArray a = e.getValue();
      INDArray b = resumed.parameters().get(e.getKey());
      assertArrayEquals(a.dup().data().asFloat(), b.dup().data().asFloat(), e.getKey()); // bitwise
    }
    Map<String, INDArray> s1 = straightAdam.state();
    Map<String, INDArray> s2 = resumedAdam.state();
    s1.forEach((k, v) -> assertEquals(v, s2.get(k), k));
    assertEquals(full.lastValidationLoss(), r.lastValidationLoss(), 0);
    assertEquals(full.bestValidationLoss(), r.bestValidationLoss(), 0);
    assertEquals(full.lastTrainLoss(), r.lastTrainLoss(), 0);
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<String> iterations = lines.stream().skip(1).map(l -> l.split(",")[0]).toList();
    // 1..5, the final validation of the first run at 5, then 6..9
    assertEquals(List.of("1", "2", "3", "4", "5", "5", "6", "7", "8", "9"), iterations);
    assertTrue(lines.get(6).split(",", -1)[2].isEmpty()); // the validation-only row
    assertEquals(full.lastTrainLoss(), Double.parseDouble(lines.get(10).split(",")[2]), 0);
  }

  @Test
  void aRunWithDropoutResumesToTheBit() throws IOException {
    UnrolledTestModels_CharLmDropout straight = new UnrolledTestModels_CharLmDropout(7);
    trainer(straight, new Adam(0.02), 9, null).fit();
    UnrolledTestModels_CharLmDropout undropped = new UnrolledTestModels_CharLmDropout(7);
    Path ck = dir.resolve("dropout.zip");
    trainer(undropped, new Adam(0.02), 5, ck).fit();
    UnrolledTestModels_CharLmDropout resumed = new UnrolledTestModels_CharLmDropout(99);
    Trainer t = trainer(resumed, new Adam(0.02), 9, null);
    t.resume(ck);
    t.fit();
    for (Map.Entry<String, INDArray> e : straight.parameters().entrySet()) {
      assertArrayEquals(e.getValue().dup().data().asFloat(),
          resumed.parameters().get(e.getKey()).dup().data().asFloat(), e.getKey()); // bitwise
    }
    // the masks are drawn: two seeds give two losses on one batch
    List<int[]> x = sequences(1, 3);
    dev.unroll.training.data.Batch batch =
        PaddedBatches.tokens(x, x, 3, false, 0, DataType.FLOAT).next();
    straight.seedDropout(1);
    double one = straight.gradients(batch.x(), batch.y(), batch.mask()).loss();
    straight.seedDropout(2);
    double two = straight.gradients(batch.x(), batch.y(), batch.mask()).loss();
    assertTrue(one != two, "dropout is on: " + one + " " + two);
  }

  @Test
  void aNanLossStopsNamingTheIterationAndKeepsTheLastGoodCheckpoint() throws IOException {
    FakeStatefulModel m = new FakeStatefulModel(0.3);
    m.nanLossAtCall = 5;
    Path ck = dir.resolve("ck.zip");
    List<Double> ws = new ArrayList<>();
    Trainer t =
        Trainer.builder(m, new Sgd(0.1), new SequenceBatches(new int[] {0, 1, 2, 0, 1, 2, 0}, 1, 2))
            .iterations(100)
            .checkpoint(ck, 2)
            .progressBar(false)
            .listener(new TrainingListener() {
              @Override
              public void onIteration(Trainer.Progress p) {
                ws.add(m.w());
              }
            })
            .build();
    NonFiniteException e = assertThrows(NonFiniteException.class, t::fit);
    assertEquals(5, e.iteration());
    assertTrue(e.getMessage().contains("iteration 5"), e.getMessage());
    assertTrue(e.getMessage().contains("of iteration 4"), e.getMessage());
    assertEquals(4, ws.size());
    assertEquals(ws.get(3), m.w(), 0); // the bad step was not applied
    Checkpoint.Contents c = Checkpoint.read(ck);
    assertEquals("4", c.metadata().get("trainer.iteration"));
    assertEquals(ws.get(3), c.weights().get("w").getDouble(0), 0);

    // non-finite parameters are never written over a checkpoint
    m.parameters().get("w").putScalar(0, Double.POSITIVE_INFINITY);
    assertThrows(NonFiniteException.class, () -> t.saveCheckpoint(ck));
    assertEquals(ws.get(3), Checkpoint.read(ck).weights().get("w").getDouble(0), 0);
  }

  @Test
  void earlyStoppingAfterPatienceValidationsWithoutImprovement() throws IOException {
    FakeStatefulModel m = new FakeStatefulModel(0);
    m.ascend = true; // every step makes the loss worse
    int[] tokens = {0, 0, 1, 0, 0, 2, 0, 0, 1};
    List<Double> vals = new ArrayList<>();
    Trainer.Result r =
        Trainer.builder(m, new Sgd(0.5), new SequenceBatches(tokens, 2, 2))
            .validation(new SequenceBatches(tokens, 2, 4), 2)
            .earlyStopping(2)
            .iterations(1000)
            .progressBar(false)
            .listener(new TrainingListener() {
              @Override
              public void onValidation(Trainer.Progress p) {
                vals.add(p.validationLoss());
              }
            })
            .build()
            .fit();
    assertEquals(Trainer.StopReason.EARLY_STOP, r.reason());
    assertEquals(6, r.iterations()); // validations at 2 (best), 4 and 6 (worse twice)
    assertEquals(2, r.bestIteration());
    assertEquals(3, vals.size());
    assertTrue(vals.get(0) < vals.get(1) && vals.get(1) < vals.get(2), vals.toString());
    assertEquals(vals.get(0), r.bestValidationLoss(), 0);
  }

  @Test
  void epochsAndAStepScheduleWithTbpttCarryingState() throws IOException {
    FakeStatefulModel m = new FakeStatefulModel(0);
    int[] tokens = new int[13]; // 2 rows of 6 steps: chunks of 4 and 2 per epoch
    List<Double> lrs = new ArrayList<>();
    List<Long> epochEnds = new ArrayList<>();
    Trainer.Result r =
        Trainer.builder(m, new Sgd(0.8), new SequenceBatches(tokens, 2, 4))
            .validation(new SequenceBatches(tokens, 2, 4), 100)
            .tbptt(3)
            .epochs(3)
            .schedule(LearningRateSchedule.stepPerEpoch(1, 0.5))
            .progressBar(false)
            .listener(new TrainingListener() {
              @Override
              public void onIteration(Trainer.Progress p) {
                lrs.add(p.learningRate());
              }

              @Override
              public void onEpochEnd(Trainer.Progress p) {
                epochEnds.add(p.epoch());
              }
            })
            .build()
            .fit();
    assertEquals(Trainer.StopReason.EPOCHS, r.reason());
    assertEquals(List.of(0.8, 0.8, 0.4, 0.4, 0.2, 0.2), lrs);
    assertEquals(List.of(0L, 1L, 2L), epochEnds);
    assertEquals(6, m.calls.size());
    for (int i = 0; i < 6; i++) {
      double expected = i % 2 == 0 ? 0 : 4; // reset at each epoch start, carried within
      assertArrayEquals(new double[] {expected, expected}, m.calls.get(i).initial(), 0, "call " + i);
      assertEquals(3, m.calls.get(i).backSteps());
    }
    assertTrue(Double.isFinite(r.lastValidationLoss())); // the final validation, on a replica
    assertEquals(2, m.replicas.get(0).forwardCalls);
  }

  @Test
  void aResumedTbpttRunCarriesTheSavedState() throws IOException {
    int[] tokens = new int[13];
    Path ck = dir.resolve("tbptt.zip");
    FakeStatefulModel a = new FakeStatefulModel(0);
    Trainer.builder(a, new Sgd(0.1), new SequenceBatches(tokens, 2, 4))
        .tbptt(4).iterations(1).checkpoint(ck, 1).progressBar(false).build().fit();
    FakeStatefulModel b = new FakeStatefulModel(0);
    Trainer t =
        Trainer.builder(b, new Sgd(0.1), new SequenceBatches(tokens, 2, 4))
            .tbptt(4).iterations(2).progressBar(false).build();
    t.resume(ck);
    t.fit();
    assertEquals(1, b.calls.size());
    assertArrayEquals(new double[] {4, 4}, b.calls.get(0).initial(), 0);
    assertEquals(2, b.calls.get(0).steps()); // the second chunk of the epoch
  }

  @Test
  void stopConditions() throws IOException {
    FakeStatefulModel m = new FakeStatefulModel(0);
    int[] tokens = {0, 1, 2, 0, 1, 2};
    assertThrows(IllegalStateException.class,
        () -> Trainer.builder(m, new Sgd(0.1), new SequenceBatches(tokens, 1, 2)).build());
    Trainer.Result r =
        Trainer.builder(m, new Sgd(0.1), new SequenceBatches(tokens, 1, 2))
            .timeBudgetMinutes(0.5 / 60_000) // half a millisecond
            .progressBar(false)
            .build()
            .fit();
    assertEquals(Trainer.StopReason.TIME_BUDGET, r.reason());
    Trainer[] holder = new Trainer[1];
    holder[0] =
        Trainer.builder(m, new Sgd(0.1), new SequenceBatches(tokens, 1, 2))
            .iterations(100)
            .progressBar(false)
            .listener(new TrainingListener() {
              @Override
              public void onIteration(Trainer.Progress p) {
                if (p.iteration() == 3) {
                  holder[0].requestStop();
                }
              }
            })
            .build();
    Trainer.Result stopped = holder[0].fit();
    assertEquals(Trainer.StopReason.REQUESTED, stopped.reason());
    assertEquals(3, stopped.iterations());
  }
}
