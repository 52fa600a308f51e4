package dev.unroll.spark;

import dev.unroll.runtime.ModelConfig.Topology;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.training.Checkpoint;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch inference over a cluster: a trained many-to-one or many-to-many model scores every sequence of
 * a {@link JavaRDD}. The weights are broadcast once, when the scorer is made, and destroyed by
 * {@link #close()}; each task thread runs its own replica of the model, in batches of rows padded to
 * the batch's longest and masked; results come in the input's order, one per row.
 *
 * <pre>{@code
 * try (SparkScorer scorer = SparkScorer.load(spark, new UnrolledTagger(0), Path.of("tagger.npz"), 256)) {
 *   List<int[]> tags = scorer.classes(sentences).collect();
 * }
 * }</pre>
 *
 * <p>The RDDs returned are lazy: compute them (collect, save, count) before closing the scorer.
 */
public final class SparkScorer implements AutoCloseable {

  private final RecurrentModel model;
  private final Broadcast<Parameters> parameters;
  private final ModelFactory factory;
  private final int batchSize;

  private SparkScorer(JavaSparkContext spark, RecurrentModel model, int batchSize) {
    Topology t = model.config().topology();
    if (t != Topology.MANY_TO_ONE && t != Topology.MANY_TO_MANY) {
      throw new IllegalArgumentException(
          model.config().model() + " is " + t + "; SparkScorer scores many-to-one and many-to-many "
              + "models (generation models decode with dev.unroll.runtime.generation.Decoding)");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, but is " + batchSize);
    }
    this.model = model;
    this.batchSize = batchSize;
    this.factory = ModelFactory.of(model);
    this.parameters = spark.broadcast(Parameters.of(model.parameters()));
  }

  /**
   * A scorer with {@code model}'s current parameters, scoring {@code batchSize} rows per forward pass.
   *
   * @throws IllegalArgumentException for a generation model or a batch size below 1
   */
  public static SparkScorer of(JavaSparkContext spark, RecurrentModel model, int batchSize) {
    return new SparkScorer(Objects.requireNonNull(spark, "spark"), Objects.requireNonNull(model, "model"),
        batchSize);
  }

  /**
   * A scorer with the weights of a file loaded into {@code model}: NumPy {@code .npz} weights
   * ({@link RecurrentModel#importWeights}) or a training checkpoint (any other name).
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if its weights do not fit the model (listing every difference)
   */
  public static SparkScorer load(JavaSparkContext spark, RecurrentModel model, Path weights, int batchSize)
      throws IOException {
    if (weights.getFileName().toString().endsWith(".npz")) {
      model.importWeights(weights);
    } else {
      Checkpoint.load(weights, model, null);
    }
    return of(spark, model, batchSize);
  }

  /**
   * Logits of every row of token ids (a model with an embedding): {@code [classes]} per row for a
   * many-to-one model, {@code [length × classes]} (step-major) for a many-to-many one.
   */
  public JavaRDD<double[]> logits(JavaRDD<long[]> tokens) {
    requireEmbedded(true);
    return tokens.mapPartitions(new ScoreTask<>(parameters, factory, batchSize, false));
  }

  /**
   * Logits of every row of feature vectors ({@code [length][features]}, a model without an
   * embedding), as {@link #logits}.
   */
  public JavaRDD<double[]> logitsOfFeatures(JavaRDD<double[][]> features) {
    requireEmbedded(false);
    return features.mapPartitions(new ScoreTask<>(parameters, factory, batchSize, false));
  }

  /** The most likely class of every row (many-to-one: one id) or of every step (many-to-many). */
  public JavaRDD<int[]> classes(JavaRDD<long[]> tokens) {
    requireEmbedded(true);
    return tokens.mapPartitions(new ScoreTask<long[]>(parameters, factory, batchSize, true))
        .map(ScoreTask::asClasses);
  }

  /** As {@link #classes}, for rows of feature vectors. */
  public JavaRDD<int[]> classesOfFeatures(JavaRDD<double[][]> features) {
    requireEmbedded(false);
    return features.mapPartitions(new ScoreTask<double[][]>(parameters, factory, batchSize, true))
        .map(ScoreTask::asClasses);
  }

  private void requireEmbedded(boolean embedded) {
    if (model.config().embedded() != embedded) {
      throw new IllegalArgumentException(
          model.config().model() + (embedded
              ? " reads feature vectors, not token ids: use logitsOfFeatures or classesOfFeatures"
              : " reads token ids, not feature vectors: use logits or classes"));
    }
  }

  /** Destroys the broadcast weights on the driver and every executor. */
  @Override
  public void close() {
    parameters.destroy();
  }

  /** A partition's rows scored in batches, lazily, in order. */
  static final class ScoreTask<R> implements FlatMapFunction<Iterator<R>, double[]>, Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<Parameters> parameters;
    private final ModelFactory factory;
    private final int batchSize;
    private final boolean argmax;

    ScoreTask(Broadcast<Parameters> parameters, ModelFactory factory, int batchSize, boolean argmax) {
      this.parameters = parameters;
      this.factory = factory;
      this.batchSize = batchSize;
      this.argmax = argmax;
    }

    /** Class ids carried in doubles back to ints. */
    static int[] asClasses(double[] ids) {
      int[] out = new int[ids.length];
      for (int i = 0; i < ids.length; i++) {
        out[i] = (int) ids[i];
      }
      return out;
    }

    @Override
    public Iterator<double[]> call(Iterator<R> rows) {
      return new Iterator<>() {
        private final List<double[]> ready = new ArrayList<>();
        private int next;

        @Override
        public boolean hasNext() {
          if (next < ready.size()) {
            return true;
          }
          ready.clear();
          next = 0;
          List<R> batch = new ArrayList<>(batchSize);
          while (batch.size() < batchSize && rows.hasNext()) {
            batch.add(rows.next());
          }
          if (batch.isEmpty()) {
            return false;
          }
          try (ExecutorModels.Lease lease =
              ExecutorModels.borrow(parameters.id(), factory, parameters::value)) {
            ready.addAll(score((RecurrentModel) lease.model(), batch));
          }
          return true;
        }

        @Override
        public double[] next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return ready.get(next++);
        }
      };
    }

    private List<double[]> score(RecurrentModel model, List<R> batch) {
      int n = batch.size();
      int[] lengths = new int[n];
      int steps = 0;
      for (int r = 0; r < n; r++) {
        lengths[r] = length(batch.get(r), r);
        steps = Math.max(steps, lengths[r]);
      }
      INDArray x = inputs(model, batch, lengths, steps);
      INDArray mask = null;
      for (int len : lengths) {
        if (len != steps) {
          mask = Nd4j.create(model.dataType(), n, steps);
          for (int r = 0; r < n; r++) {
            for (int t = 0; t < lengths[r]; t++) {
              mask.putScalar(r, t, 1);
            }
          }
          break;
        }
      }
      INDArray logits = model.forward(x, mask).castTo(DataType.DOUBLE);
      boolean perStep = model.config().topology() == Topology.MANY_TO_MANY;
      int classes = (int) logits.size(logits.rank() - 1);
      double[] flat = logits.dup('c').data().asDouble();
      List<double[]> out = new ArrayList<>(n);
      for (int r = 0; r < n; r++) {
        int rowSteps = perStep ? lengths[r] : 1;
        int from = perStep ? r * steps * classes : r * classes;
        double[] row = new double[argmax ? rowSteps : rowSteps * classes];
        for (int t = 0; t < rowSteps; t++) {
          int base = from + t * classes;
          if (argmax) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
              if (flat[base + c] > flat[base + best]) {
                best = c;
              }
            }
            row[t] = best;
          } else {
            System.arraycopy(flat, base, row, t * classes, classes);
          }
        }
        out.add(row);
      }
      return out;
    }

    private static int length(Object row, int index) {
      int len = row instanceof long[] ids ? ids.length : ((double[][]) row).length;
      if (len == 0) {
        throw new IllegalArgumentException(
            "row " + index + " of a batch is empty; every sequence needs at least one step");
      }
      return len;
    }

    private INDArray inputs(RecurrentModel model, List<R> batch, int[] lengths, int steps) {
      int n = batch.size();
      if (batch.get(0) instanceof long[]) {
        long[] ids = new long[n * steps];
        for (int r = 0; r < n; r++) {
          System.arraycopy((long[]) batch.get(r), 0, ids, r * steps, lengths[r]);
        }
        return Nd4j.createFromArray(ids).reshape('c', n, steps);
      }
      int features = model.config().features();
      double[] values = new double[n * steps * features];
      for (int r = 0; r < n; r++) {
        double[][] row = (double[][]) batch.get(r);
        for (int t = 0; t < lengths[r]; t++) {
          if (row[t].length != features) {
            throw new IllegalArgumentException(
                "step " + t + " of a row has " + row[t].length + " features; the model reads "
                    + features);
          }
          System.arraycopy(row[t], 0, values, (r * steps + t) * features, features);
        }
      }
      return Nd4j.createFromArray(values).reshape('c', n, steps, features).castTo(model.dataType());
    }
  }
}
