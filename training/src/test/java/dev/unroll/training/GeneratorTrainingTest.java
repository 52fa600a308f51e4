package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrolledModel;
import dev.unroll.training.data.BatchSource;
import dev.unroll.training.data.OneToManyBatch;
import dev.unroll.training.data.Seq2SeqBatch;
import dev.unroll.training.data.TrainingBatch;
import dev.unroll.training.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link Trainer} on the sequence generators: a one-to-many and an encoder-decoder model learn, their
 * validation loss is the cross-entropy of their teacher-forced logits worked out here, and a run resumed
 * from a checkpoint ends with the parameters of the uninterrupted run, to the bit (the encoder-decoder
 * has dropout in both stacks, so the resumed run must also draw the same masks).
 */
class GeneratorTrainingTest {

  private static final int START = 1;
  private static final int END = 2;
  private static final long IGNORE = -100;

  @TempDir Path dir;

  // ---- one-to-many ---------------------------------------------------------------------------

  /** Condition {@code k} (one-hot with noise) is captioned by tokens {@code 3 + (k + i) % 4}. */
  private static OneToManyBatch captions(SplittableRandom r, int rows) {
    float[][] condition = new float[rows][4];
    List<int[]> targets = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int k = r.nextInt(4);
      for (int f = 0; f < 4; f++) {
        condition[i][f] = (f == k ? 1f : 0f) + (float) (0.1 * (r.nextDouble() - 0.5));
      }
      int[] t = new int[1 + k % 3];
      for (int s = 0; s < t.length; s++) {
        t[s] = 3 + (k + s) % 4;
      }
      targets.add(t);
    }
    INDArray[] teacher = teacherForcing(targets);
    return new OneToManyBatch(Nd4j.createFromArray(condition), teacher[0], teacher[1]);
  }

  private static Trainer.Builder<OneToManyBatch> captioning(
      UnrolledTestModels_Captioner model, Adam adam, long iterations) {
    return Trainer.builder(model, adam, new ListSource<>(batches(11, 3, r -> captions(r, 6))))
        .validation(new ListSource<>(batches(12, 2, r -> captions(r, 5))), 4)
        .iterations(iterations)
        .clipNorm(1.0)
        .schedule(LearningRateSchedule.stepPerIteration(4, 0.7))
        .progressBar(false);
  }

  @Test
  void aOneToManyModelLearnsItsCaptions() throws IOException {
    UnrolledTestModels_Captioner model = new UnrolledTestModels_Captioner(3);
    Trainer t =
        captioning(model, new Adam(0.03), 60).schedule(LearningRateSchedule.constant()).build();
    double before = t.validate();
    Trainer.Result r = t.fit();
    assertEquals(60, r.iterations());
    assertTrue(r.lastValidationLoss() < 0.3 * before, before + " -> " + r.lastValidationLoss());
  }

  @Test
  void oneToManyValidationIsTheCrossEntropyOfTheTeacherForcedLogits() throws IOException {
    UnrolledTestModels_Captioner model = new UnrolledTestModels_Captioner(4);
    captioning(model, new Adam(0.03), 3).build().fit(); // not the initial parameters
    Trainer t = captioning(model, new Adam(0.03), 3).build();
    double sum = 0;
    long count = 0;
    for (OneToManyBatch b : batches(12, 2, r -> captions(r, 5))) {
      double[] sc = crossEntropy(model.forward(b.condition(), b.tgtIn()), b.y());
      sum += sc[0];
      count += (long) sc[1];
    }
    assertEquals(sum / count, t.validate(), 1e-6 * sum / count);
  }

  @Test
  void resumingAOneToManyRunEqualsTheUninterruptedRun() throws IOException {
    resumes(seed -> new UnrolledTestModels_Captioner(seed),
        (model, adam, iterations) -> captioning((UnrolledTestModels_Captioner) model, adam, iterations));
  }

  // ---- encoder-decoder -----------------------------------------------------------------------

  /** A source of 1 to 4 tokens (3 to 6), its target the source reversed. */
  private static Seq2SeqBatch reversals(SplittableRandom r, int rows) {
    List<int[]> sources = new ArrayList<>();
    List<int[]> targets = new ArrayList<>();
    int longest = 0;
    for (int i = 0; i < rows; i++) {
      int[] s = new int[1 + r.nextInt(4)];
      int[] t = new int[s.length];
      for (int j = 0; j < s.length; j++) {
        s[j] = 3 + r.nextInt(4);
      }
      for (int j = 0; j < s.length; j++) {
        t[j] = s[s.length - 1 - j];
      }
      sources.add(s);
      targets.add(t);
      longest = Math.max(longest, s.length);
    }
    long[][] src = new long[rows][longest];
    float[][] mask = new float[rows][longest];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < sources.get(i).length; j++) {
        src[i][j] = sources.get(i)[j];
        mask[i][j] = 1;
      }
    }
    INDArray[] teacher = teacherForcing(targets);
    return new Seq2SeqBatch(
        Nd4j.createFromArray(src), Nd4j.createFromArray(mask), teacher[0], teacher[1]);
  }

  private static Trainer.Builder<Seq2SeqBatch> reversing(
      UnrolledTestModels_Reverser model, Adam adam, long iterations) {
    return Trainer.builder(model, adam, new ListSource<>(batches(21, 3, r -> reversals(r, 8))))
        .validation(new ListSource<>(batches(22, 2, r -> reversals(r, 6))), 4)
        .iterations(iterations)
        .clipNorm(1.0)
        .schedule(LearningRateSchedule.stepPerIteration(4, 0.7))
        .progressBar(false);
  }

  @Test
  void anEncoderDecoderLearnsToReverse() throws IOException {
    UnrolledTestModels_Reverser model = new UnrolledTestModels_Reverser(5);
    Trainer t = reversing(model, new Adam(0.03), 80).schedule(LearningRateSchedule.constant()).build();
    double before = t.validate();
    Trainer.Result r = t.fit();
    assertTrue(r.lastValidationLoss() < 0.6 * before, before + " -> " + r.lastValidationLoss());
  }

  @Test
  void encoderDecoderValidationIsTheCrossEntropyOfTheTeacherForcedLogits() throws IOException {
    UnrolledTestModels_Reverser model = new UnrolledTestModels_Reverser(6);
    reversing(model, new Adam(0.03), 3).build().fit();
    Trainer t = reversing(model, new Adam(0.03), 3).build();
    double sum = 0;
    long count = 0;
    for (Seq2SeqBatch b : batches(22, 2, r -> reversals(r, 6))) {
      double[] sc = crossEntropy(model.forward(b.src(), b.srcMask(), b.tgtIn()), b.y());
      sum += sc[0];
      count += (long) sc[1];
    }
    assertEquals(sum / count, t.validate(), 1e-6 * sum / count);
  }

  @Test
  void resumingAnEncoderDecoderRunEqualsTheUninterruptedRun() throws IOException {
    resumes(seed -> new UnrolledTestModels_Reverser(seed),
        (model, adam, iterations) -> reversing((UnrolledTestModels_Reverser) model, adam, iterations));
  }

  @Test
  void truncatedBpttIsRefusedForGenerators() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> reversing(new UnrolledTestModels_Reverser(1), new Adam(0.01), 2).tbptt(3).build());
    assertTrue(e.getMessage().contains("an encoder-decoder model trains on whole sequences"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> captioning(new UnrolledTestModels_Captioner(1), new Adam(0.01), 2).tbptt(3).build());
  }

  // ---- helpers -------------------------------------------------------------------------------

  private interface Models {
    UnrolledModel create(long seed);
  }

  private interface Trainers<B extends TrainingBatch> {
    Trainer.Builder<B> create(UnrolledModel model, Adam adam, long iterations);
  }

  /** 9 iterations straight, against 5 (mid-epoch), a checkpoint, and 4 more in a new trainer. */
  private <B extends TrainingBatch> void resumes(Models models, Trainers<B> trainers)
      throws IOException {
    UnrolledModel straight = models.create(7);
    Adam straightAdam = new Adam(0.03);
    Trainer.Result full = trainers.create(straight, straightAdam, 9).build().fit();

    Path ck = dir.resolve("ck.zip");
    UnrolledModel first = models.create(7);
    trainers.create(first, new Adam(0.03), 5).checkpoint(ck, 0).build().fit();

    UnrolledModel resumed = models.create(12345); // other weights, overwritten by the checkpoint
    Adam resumedAdam = new Adam(0.03);
    Trainer t = trainers.create(resumed, resumedAdam, 9).build();
    t.resume(ck);
    assertEquals(5, t.iteration());
    Trainer.Result r = t.fit();

    assertEquals(9, r.iterations());
    for (Map.Entry<String, INDArray> e : straight.parameters().entrySet()) {
      assertArrayEquals(e.getValue().dup().data().asFloat(),
          resumed.parameters().get(e.getKey()).dup().data().asFloat(), e.getKey()); // bitwise
    }
    Map<String, INDArray> s2 = resumedAdam.state();
    straightAdam.state().forEach((k, v) -> assertEquals(v, s2.get(k), k));
    assertEquals(full.lastTrainLoss(), r.lastTrainLoss(), 0);
    assertEquals(full.lastValidationLoss(), r.lastValidationLoss(), 0);
    assertEquals(full.bestValidationLoss(), r.bestValidationLoss(), 0);
  }

  /** {@code tgtIn} (START, the tokens, PAD) and {@code y} (the tokens, END, -100) of the targets. */
  private static INDArray[] teacherForcing(List<int[]> targets) {
    int steps = 1 + targets.stream().mapToInt(t -> t.length).max().orElse(0);
    long[][] in = new long[targets.size()][steps];
    long[][] y = new long[targets.size()][steps];
    for (int i = 0; i < targets.size(); i++) {
      int[] t = targets.get(i);
      in[i][0] = START;
      for (int s = 0; s < steps; s++) {
        if (s < t.length) {
          in[i][s + 1] = t[s];
          y[i][s] = t[s];
        } else {
          y[i][s] = s == t.length ? END : IGNORE;
        }
      }
    }
    return new INDArray[] {Nd4j.createFromArray(in), Nd4j.createFromArray(y)};
  }

  /** The summed cross-entropy of {@code logits [B, T, V]} over the counted targets, and their count. */
  private static double[] crossEntropy(INDArray logits, INDArray y) {
    double[][][] z = toDouble(logits);
    long[][] labels = y.toLongMatrix();
    double sum = 0;
    long count = 0;
    for (int b = 0; b < z.length; b++) {
      for (int t = 0; t < z[b].length; t++) {
        if (labels[b][t] == IGNORE) {
          continue;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z[b][t]) {
          max = Math.max(max, v);
        }
        double exp = 0;
        for (double v : z[b][t]) {
          exp += Math.exp(v - max);
        }
        sum += max + Math.log(exp) - z[b][t][(int) labels[b][t]];
        count++;
      }
    }
    return new double[] {sum, count};
  }

  private static double[][][] toDouble(INDArray a) {
    double[] flat = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    int steps = (int) a.size(1);
    int classes = (int) a.size(2);
    double[][][] out = new double[(int) a.size(0)][steps][classes];
    for (int b = 0; b < out.length; b++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(flat, (b * steps + t) * classes, out[b][t], 0, classes);
      }
    }
    return out;
  }

  private interface Draw<B> {
    B batch(SplittableRandom random);
  }

  private static <B> List<B> batches(long seed, int n, Draw<B> draw) {
    SplittableRandom r = new SplittableRandom(seed);
    List<B> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(draw.batch(r));
    }
    return out;
  }

  /** The same batches in every epoch. */
  private static final class ListSource<B extends TrainingBatch> implements BatchSource<B> {
    private final List<B> batches;
    private long position;

    ListSource(List<B> batches) {
      this.batches = batches;
    }

    @Override
    public B next() {
      return batches.get((int) (position++ % batches.size()));
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public void seek(long position) {
      this.position = position;
    }

    @Override
    public long batchesPerEpoch() {
      return batches.size();
    }
  }
}
