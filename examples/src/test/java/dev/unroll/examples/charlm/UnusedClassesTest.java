package dev.unroll.examples.charlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.training.GradientClipping;
import dev.unroll.training.Trainer;
import dev.unroll.training.data.Batch;
import dev.unroll.training.data.SequenceBatches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A model compiled with 256 classes trained on a text of V characters is a V-way softmax: the loss is
 * the V-way cross-entropy, the unused classes' parameters get exactly zero gradients, and Adam never
 * moves them.
 */
class UnusedClassesTest {

  private static final String TEXT = "the cat sat on the mat; a bat ate it.\n".repeat(30);

  private static Corpus corpus() {
    return Corpus.of("cats", TEXT.getBytes(StandardCharsets.UTF_8), VocabularyChoice.AUTO);
  }

  /** The values of the unused classes' rows (fc weight and bias, the embedding's), for exact comparison. */
  private static Map<String, List<Float>> unusedRows(StatefulModel<?> model, int used) {
    Map<String, INDArray> p = model.parameters();
    Map<String, List<Float>> rows = new HashMap<>();
    rows.put("fc.weight", values(p.get("fc.weight").get(NDArrayIndex.interval(used, 256), NDArrayIndex.all())));
    rows.put("fc.bias", values(p.get("fc.bias").get(NDArrayIndex.interval(used, 256))));
    rows.put("embedding.weight",
        values(p.get("embedding.weight").get(NDArrayIndex.interval(used, 256), NDArrayIndex.all())));
    return rows;
  }

  private static List<Float> values(INDArray a) {
    float[] f = a.dup('c').data().asFloat();
    List<Float> out = new ArrayList<>(f.length);
    for (float x : f) {
      out.add(x);
    }
    return out;
  }

  /** The mean of -log softmax over the first {@code v} logits of each step, in double, by hand. */
  private static double vWayCrossEntropy(INDArray logits, INDArray y, int v) {
    long b = logits.size(0);
    long t = logits.size(1);
    double sum = 0;
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < v; c++) {
          max = Math.max(max, logits.getDouble(i, j, c));
        }
        double s = 0;
        for (int c = 0; c < v; c++) {
          s += Math.exp(logits.getDouble(i, j, c) - max);
        }
        sum += max + Math.log(s) - logits.getDouble(i, j, y.getLong(i, j));
      }
    }
    return sum / (b * t);
  }

  @Test
  void unusedClassesGetZeroGradientsAndTheLossIsTheVWayCrossEntropy() {
    Corpus c = corpus();
    int v = c.vocabulary().size();
    assertEquals(TEXT.chars().distinct().count(), v);
    StatefulModel<?> model = ModelChoice.SMALL.create(7);
    UnusedClasses.exclude(model, v);
    Batch batch = new SequenceBatches(c.split().train(), 4, 16).next();

    INDArray logits = model.forward(batch.x());
    for (int k = v; k < 256; k++) {
      assertEquals(UnusedClasses.BIAS, logits.getFloat(0, 0, k), "an unused class's logit is exactly its bias");
    }
    Gradients g = model.gradients(batch.x(), batch.y());
    assertEquals(vWayCrossEntropy(logits, batch.y(), v), g.loss(), 1e-5);
    assertTrue(g.loss() > 0.5 * Math.log(v) && g.loss() < 2 * Math.log(v), "about log V at the start: " + g.loss());

    Map<String, INDArray> grads = g.asMap();
    INDArray fcW = grads.get("fc.weight");
    INDArray fcB = grads.get("fc.bias");
    INDArray emb = grads.get("embedding.weight");
    assertEquals(0.0, fcW.get(NDArrayIndex.interval(v, 256), NDArrayIndex.all()).amaxNumber().doubleValue());
    assertEquals(0.0, fcB.get(NDArrayIndex.interval(v, 256)).amaxNumber().doubleValue());
    assertEquals(0.0, emb.get(NDArrayIndex.interval(v, 256), NDArrayIndex.all()).amaxNumber().doubleValue());
    assertNotEquals(0.0, fcB.get(NDArrayIndex.interval(0, v)).amaxNumber().doubleValue());

    // the global norm that clipping measures is the norm over the used classes' rows alone
    Map<String, INDArray> used = new HashMap<>(grads);
    used.put("fc.weight", fcW.get(NDArrayIndex.interval(0, v), NDArrayIndex.all()).dup());
    used.put("fc.bias", fcB.get(NDArrayIndex.interval(0, v)).dup());
    used.put("embedding.weight", emb.get(NDArrayIndex.interval(0, v), NDArrayIndex.all()).dup());
    assertEquals(GradientClipping.globalNorm(used), GradientClipping.globalNorm(grads), 1e-9);
  }

  @Test
  void adamWithClippingNeverMovesTheUnusedRows() throws Exception {
    Corpus c = corpus();
    int v = c.vocabulary().size();
    StatefulModel<?> model = ModelChoice.SMALL.create(11);
    UnusedClasses.exclude(model, v);
    Map<String, List<Float>> before = unusedRows(model, v);
    List<Float> usedBiasBefore = values(model.parameters().get("fc.bias").get(NDArrayIndex.interval(0, v)));
    Trainer.Result r = Trainer.builder(model, OptimizerChoice.ADAM.create(8e-3),
            new SequenceBatches(c.split().train(), 4, 16))
        .tbptt(16).clipNorm(0.5).iterations(5).build().fit(); // clip 0.5: every step is clipped
    assertEquals(5, r.iterations());
    assertEquals(before, unusedRows(model, v), "unused rows moved");
    assertNotEquals(usedBiasBefore, values(model.parameters().get("fc.bias").get(NDArrayIndex.interval(0, v))),
        "the used classes train");
  }

  @Test
  void adamWsWeightDecayIsUndoneAfterEachStep() throws Exception {
    Corpus c = corpus();
    int v = c.vocabulary().size();
    for (boolean keeper : new boolean[] {false, true}) {
      StatefulModel<?> model = ModelChoice.SMALL.create(11);
      UnusedClasses.exclude(model, v);
      Trainer.Builder<Batch> b = Trainer.builder(model, OptimizerChoice.ADAMW.create(0.5),
          new SequenceBatches(c.split().train(), 4, 16)).tbptt(16).iterations(2);
      if (keeper) {
        b.listener(UnusedClasses.keeper(model, v));
      }
      b.build().fit();
      INDArray bias = model.parameters().get("fc.bias").get(NDArrayIndex.interval(v, 256));
      // decoupled decay shrinks the bias by (1 - 0.5 * 0.01) a step; the keeper sets it back
      assertEquals(keeper, bias.maxNumber().floatValue() == UnusedClasses.BIAS
          && bias.minNumber().floatValue() == UnusedClasses.BIAS, "keeper " + keeper + ": " + bias);
    }
  }
}
