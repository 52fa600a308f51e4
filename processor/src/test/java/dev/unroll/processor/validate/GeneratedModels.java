package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.common.collect.Range;
import com.google.testing.compile.Compilation;
import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.UnrolledModel;
import dev.unroll.runtime.generation.Decoded;
import dev.unroll.runtime.generation.Decoding;
import dev.unroll.runtime.generation.OneToManyModel;
import dev.unroll.runtime.generation.Seq2SeqModel;
import dev.unroll.runtime.generation.SequenceGenerator;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import javax.tools.JavaFileObject;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Loads the classes of a compilation and runs a generated model once: forward and backward, and greedy
 * decoding for a generation model.
 */
public final class GeneratedModels {
  private GeneratedModels() {}

  /**
   * Instantiates {@code className} in float64, runs {@code forward} and {@code gradients} on a random
   * batch of 3 rows × {@code steps}, and checks the logits' shape and that loss and gradients are finite.
   */
  public static void run(Compilation compilation, String className, int features, int vocab, int output, boolean manyToMany,
      int steps) throws Exception {
    RecurrentModel model = instantiate(compilation, className, DataType.DOUBLE);
    int batch = 3;
    Nd4j.getRandom().setSeed(11);
    INDArray x = features > 0
        ? Nd4j.rand(DataType.DOUBLE, batch, steps, features)
        : Nd4j.createFromArray(randomIds(batch * steps, vocab)).reshape(batch, steps);
    INDArray logits = model.forward(x);
    long[] expected = manyToMany ? new long[] {batch, steps, output} : new long[] {batch, output};
    assertWithMessage("logits shape").that(logits.shape()).isEqualTo(expected);
    assertWithMessage("finite logits").that(finite(logits)).isTrue();
    INDArray y = manyToMany
        ? Nd4j.createFromArray(randomIds(batch * steps, output)).reshape(batch, steps)
        : Nd4j.createFromArray(randomIds(batch, output));
    Gradients g = model.gradients(x, y);
    assertWithMessage("finite loss").that(Double.isFinite(g.loss()) && g.loss() >= 0).isTrue();
    assertWithMessage("one gradient per parameter").that(g.asMap().keySet()).isEqualTo(model.parameters().keySet());
    for (Map.Entry<String, INDArray> e : g.asMap().entrySet()) {
      assertWithMessage("shape of the gradient of " + e.getKey()).that(e.getValue().shape())
          .isEqualTo(model.parameters().get(e.getKey()).shape());
      assertWithMessage("finite gradient of " + e.getKey()).that(finite(e.getValue())).isTrue();
    }
  }

  /** Loads {@code className} from the compilation's class files and constructs it with seed 7. */
  public static RecurrentModel instantiate(Compilation compilation, String className, DataType dataType)
      throws Exception {
    return (RecurrentModel) load(compilation, className, dataType);
  }

  /**
   * Loads {@code className} from the compilation's class files and constructs it with seed 7, whatever
   * its topology (a generation model is an {@link UnrolledModel} but not a {@link RecurrentModel}).
   */
  public static UnrolledModel load(Compilation compilation, String className, DataType dataType)
      throws Exception {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : compilation.generatedFiles()) {
      if (f.getKind() == JavaFileObject.Kind.CLASS) {
        String name = f.getName().replaceFirst("^/CLASS_OUTPUT/", "").replace(".class", "").replace('/', '.');
        try (InputStream in = f.openInputStream()) {
          classes.put(name, in.readAllBytes());
        }
      }
    }
    ClassLoader loader = new ClassLoader(GeneratedModels.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
    return (UnrolledModel) loader.loadClass(className)
        .getConstructor(long.class, DataType.class).newInstance(7L, dataType);
  }

  /**
   * Runs a generated one-to-many or seq2seq model in float64 once on a random batch of {@code batch} rows
   * drawn from {@code seed}: teacher-forced inputs ({@code tgtIn} START first, {@code y} with -100
   * somewhere; for seq2seq a source whose rows have different lengths under {@code srcMask}). Checks that
   * {@code forward} gives finite logits {@code [B, T, vocabulary]} (for seq2seq, each row's the same as for
   * that row alone without its padding); that {@code gradients} gives a finite loss {@code >= 0} and one
   * finite gradient per parameter with the parameter's shape; and that
   * {@link Decoding#greedy} from {@code initialState} / {@code encode} writes per row at most
   * {@code maxSteps} ids inside the vocabulary, END only last and always last in a row shorter than
   * {@code maxSteps}, each the argmax of {@code forward}'s logits for the tokens before it (checked where
   * the two largest logits are not within 1e-9 of each other), with the log-probability that
   * {@code forward}'s logits give those tokens.
   */
  public static void runGeneration(UnrolledModel model, int batch, long seed) {
    assertWithMessage("a generation model").that(model).isInstanceOf(SequenceGenerator.class);
    SequenceGenerator<?> generator = (SequenceGenerator<?>) model;
    SplittableRandom random = new SplittableRandom(seed);
    int vocab = generator.vocabulary();
    int steps = 1 + random.nextInt(6);
    long[][] tgtIn = new long[batch][steps];
    long[][] y = new long[batch][steps];
    for (int r = 0; r < batch; r++) {
      tgtIn[r][0] = generator.startToken();
      for (int t = 0; t < steps; t++) {
        if (t > 0) {
          tgtIn[r][t] = random.nextInt(vocab);
        }
        y[r][t] = random.nextInt(vocab);
      }
    }
    // one row ignored from a random step on (a padded target), the others fully counted
    int ignoredRow = random.nextInt(batch);
    Arrays.fill(y[ignoredRow], random.nextInt(steps), steps, -100L);
    Batch inputs;
    if (model instanceof OneToManyModel<?> m) {
      double[][] condition = new double[batch][m.conditionSize()];
      for (double[] row : condition) {
        for (int k = 0; k < row.length; k++) {
          row[k] = random.nextDouble(-2, 2);
        }
      }
      inputs = new Batch(Nd4j.createFromArray(condition), null, null);
    } else {
      assertWithMessage("one-to-many or seq2seq").that(model).isInstanceOf(Seq2SeqModel.class);
      int sourceVocab = ((Seq2SeqModel<?>) model).sourceVocabulary();
      int sourceSteps = 1 + random.nextInt(6);
      int fullRow = random.nextInt(batch);
      long[][] src = new long[batch][sourceSteps];
      double[][] mask = new double[batch][sourceSteps];
      for (int r = 0; r < batch; r++) {
        int length = r == fullRow ? sourceSteps : 1 + random.nextInt(sourceSteps);
        for (int t = 0; t < length; t++) {
          src[r][t] = random.nextInt(sourceVocab);
          mask[r][t] = 1;
        }
      }
      inputs = new Batch(null, Nd4j.createFromArray(src), Nd4j.createFromArray(mask));
    }
    String batchText = "tgtIn " + Arrays.deepToString(tgtIn) + ", y " + Arrays.deepToString(y) + ", " + inputs;

    INDArray logits = inputs.forward(model, Nd4j.createFromArray(tgtIn)).dup();
    assertWithMessage("logits shape, " + batchText).that(logits.shape()).isEqualTo(new long[] {batch, steps, vocab});
    assertWithMessage("finite logits, " + batchText).that(finite(logits)).isTrue();

    if (model instanceof Seq2SeqModel<?> m) {
      // the mask hides the padding: each row alone, cut to its valid tokens, gives the same logits
      for (int r = 0; r < batch; r++) {
        int length = inputs.srcMask().getRow(r).sumNumber().intValue();
        INDArray alone = m.forward(
            inputs.src().get(NDArrayIndex.interval(r, r + 1), NDArrayIndex.interval(0, length)).dup(),
            Nd4j.ones(DataType.DOUBLE, 1, length),
            Nd4j.createFromArray(new long[][] {tgtIn[r]}));
        double[] expected = logits.get(NDArrayIndex.point(r)).dup().data().asDouble();
        double[] actual = alone.dup().data().asDouble();
        for (int k = 0; k < expected.length; k++) {
          assertWithMessage("row " + r + " alone, logit " + k + ", " + batchText).that(actual[k])
              .isWithin(1e-9 * Math.max(1, Math.abs(expected[k]))).of(expected[k]);
        }
      }
    }

    Gradients g = inputs.gradients(model, Nd4j.createFromArray(tgtIn), Nd4j.createFromArray(y));
    assertWithMessage("finite loss >= 0, " + batchText).that(Double.isFinite(g.loss()) && g.loss() >= 0).isTrue();
    assertWithMessage("one gradient per parameter").that(g.asMap().keySet()).isEqualTo(model.parameters().keySet());
    for (Map.Entry<String, INDArray> e : g.asMap().entrySet()) {
      assertWithMessage("shape of the gradient of " + e.getKey()).that(e.getValue().shape())
          .isEqualTo(model.parameters().get(e.getKey()).shape());
      assertWithMessage("finite gradient of " + e.getKey() + ", " + batchText).that(finite(e.getValue())).isTrue();
    }

    Decoded greedy = inputs.greedy(model);
    String decodedText = "greedy " + greedy + ", " + batchText;
    assertWithMessage("rows decoded").that(greedy.rows()).isEqualTo(batch);
    int width = Math.max(1, greedy.length());
    long[][] fed = new long[batch][width];
    for (int r = 0; r < batch; r++) {
      int[] row = greedy.tokens()[r];
      assertWithMessage("row " + r + " length, " + decodedText).that(row.length)
          .isIn(Range.closed(1, generator.maxSteps()));
      for (int t = 0; t < row.length; t++) {
        assertWithMessage("row " + r + " token " + t + ", " + decodedText).that(row[t])
            .isIn(Range.closedOpen(0, vocab));
        if (row[t] == generator.endToken()) {
          assertWithMessage("END last in row " + r + ", " + decodedText).that(t).isEqualTo(row.length - 1);
        }
      }
      if (row.length < generator.maxSteps()) {
        assertWithMessage("row " + r + " shorter than maxSteps ends with END, " + decodedText)
            .that(row[row.length - 1]).isEqualTo(generator.endToken());
      }
      Arrays.fill(fed[r], generator.endToken());
      fed[r][0] = generator.startToken();
      for (int t = 1; t < row.length; t++) {
        fed[r][t] = row[t - 1];
      }
    }
    INDArray replayed = inputs.forward(model, Nd4j.createFromArray(fed)).dup();
    for (int r = 0; r < batch; r++) {
      int[] row = greedy.tokens()[r];
      double logProbability = 0;
      for (int t = 0; t < row.length; t++) {
        double[] z = new double[vocab];
        for (int v = 0; v < vocab; v++) {
          z[v] = replayed.getDouble(r, t, v);
        }
        int best = 0;
        for (int v = 1; v < vocab; v++) {
          if (z[v] > z[best]) {
            best = v;
          }
        }
        double runnerUp = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
          if (v != best) {
            runnerUp = Math.max(runnerUp, z[v]);
          }
        }
        if (z[best] - runnerUp > 1e-9) {
          assertWithMessage("row " + r + " token " + t + " is the argmax of forward's logits " + Arrays.toString(z)
              + ", " + decodedText).that(row[t]).isEqualTo(best);
        }
        double sum = 0;
        for (double v : z) {
          sum += Math.exp(v - z[best]);
        }
        logProbability += z[row[t]] - z[best] - Math.log(sum);
      }
      assertWithMessage("row " + r + " log-probability, " + decodedText).that(greedy.logProbabilities()[r])
          .isWithin(1e-9 * Math.max(1, Math.abs(logProbability))).of(logProbability);
    }
  }

  /** The inputs other than the targets: a condition (one-to-many), or a source and its mask (seq2seq). */
  private record Batch(INDArray condition, INDArray src, INDArray srcMask) {
    INDArray forward(UnrolledModel model, INDArray tgtIn) {
      return condition != null
          ? ((OneToManyModel<?>) model).forward(condition, tgtIn)
          : ((Seq2SeqModel<?>) model).forward(src, srcMask, tgtIn);
    }

    Gradients gradients(UnrolledModel model, INDArray tgtIn, INDArray y) {
      return condition != null
          ? ((OneToManyModel<?>) model).gradients(condition, tgtIn, y)
          : ((Seq2SeqModel<?>) model).gradients(src, srcMask, tgtIn, y);
    }

    Decoded greedy(UnrolledModel model) {
      return condition != null
          ? greedyFrom((OneToManyModel<?>) model, condition)
          : greedyFrom((Seq2SeqModel<?>) model, src, srcMask);
    }

    @Override
    public String toString() {
      return condition != null
          ? "condition " + text(condition)
          : "src " + text(src) + ", srcMask " + text(srcMask);
    }

    private static String text(INDArray a) {
      return a.toStringFull().replaceAll("\\s+", " ");
    }
  }

  private static <S extends RecurrentState> Decoded greedyFrom(OneToManyModel<S> model, INDArray condition) {
    return Decoding.greedy(model, model.initialState(condition));
  }

  private static <S extends RecurrentState> Decoded greedyFrom(Seq2SeqModel<S> model, INDArray src,
      INDArray srcMask) {
    return Decoding.greedy(model, model.encode(src, srcMask));
  }

  private static long[] randomIds(int n, int bound) {
    long[] ids = new long[n];
    for (int k = 0; k < n; k++) {
      ids[k] = (k * 7919L + 13) % bound;
    }
    return ids;
  }

  private static boolean finite(INDArray a) {
    for (double v : a.dup().data().asDouble()) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

}
