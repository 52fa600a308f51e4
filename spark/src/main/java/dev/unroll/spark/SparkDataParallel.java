package dev.unroll.spark;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.StatefulModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Synchronous data-parallel gradients on Apache Spark, in the shape of the model they come from: a
 * {@link RecurrentModel} (a {@link StatefulModel} when the model is one) whose {@code gradients} split
 * the global batch over Spark partitions, so that the existing {@link dev.unroll.training.Trainer} (or
 * {@link dev.unroll.training.Tbptt}) trains on a cluster unchanged: the driver keeps the model, the
 * optimizer, clipping, the learning-rate schedule, validation and checkpoints.
 *
 * <p>Each call of {@code gradients}:
 *
 * <ol>
 *   <li>broadcasts the driver's parameters as primitive arrays ({@link Parameters});
 *   <li>cuts the batch into {@code partitions} contiguous shards of rows (sizes differing by at most
 *       one) and runs one Spark task per shard; each task computes its shard's gradients on a replica
 *       of the broadcast model (one replica per task thread, kept by the executor between tasks);
 *   <li>collects the shards' mean gradients and combines them on the driver, in partition order,
 *       weighted by each shard's counted targets (targets that are not -100; for a model trained by mean
 *       squared error, its counted elements: valid steps times outputs), so that the result is
 *       the mean over the whole batch, as one process computes it: uneven padding counts right;
 *       with one partition the shard's gradients are returned as they are;
 *   <li>destroys the broadcast, so executors hold one copy of the parameters however many steps run.
 * </ol>
 *
 * <p><b>Carried state (truncated BPTT).</b> The state travels with the data: the driver sends each
 * shard the state its rows ended the previous chunk in and gets the new state back with the
 * gradients. Spark does not promise that a partition runs on the same executor at the next step
 * (executors come and go, tasks are rescheduled), so state kept on executors could be lost or land
 * on the wrong rows; the state is small next to the parameters (rows × hidden × layers, against every
 * weight), and on the driver it goes into checkpoints, so a run resumes exactly.
 *
 * <p><b>Dropout.</b> Each shard draws its masks from a seed mixed from the seed the trainer gives
 * ({@link #seedDropout}, once per step), the number of steps since, and the partition's index. With
 * one partition that is the trainer's seed itself, so one partition reproduces one process exactly; with
 * more, rows get other masks than one process would draw: the one intended difference from training on
 * one machine (the masks are equally distributed, only not the same draws).
 *
 * <p>{@code forward}, {@code replica} and {@code initialState} are the local model's: evaluation and
 * sampling run on the driver.
 */
public class SparkDataParallel implements RecurrentModel {

  /**
   * Where the time of the last {@code gradients} call went.
   *
   * @param broadcastId the Spark id of the step's broadcast (destroyed when the step returns)
   * @param partitions shards (Spark tasks)
   * @param broadcastBytes bytes of the parameters broadcast (one copy)
   * @param shardBytes bytes of inputs, targets, masks and states sent to the tasks
   * @param resultBytes bytes of gradients and states sent back, all shards together
   * @param broadcastMillis time to copy the parameters into primitive arrays and create the broadcast
   * @param jobMillis time from submitting the job to having every shard's result on the driver
   * @param computeMillis the slowest shard's time inside the model's {@code gradients}
   * @param combineMillis time to combine the shards' gradients and states on the driver
   */
  public record StepReport(
      long broadcastId, int partitions, long broadcastBytes, long shardBytes, long resultBytes, double broadcastMillis,
      double jobMillis, double computeMillis, double combineMillis) {}

  private final JavaSparkContext spark;
  private final RecurrentModel model;
  private final int partitions;
  private final ModelFactory factory;
  private long dropoutSeed;
  private long callsSinceSeed;
  private StepReport lastStep;

  SparkDataParallel(JavaSparkContext spark, RecurrentModel model, int partitions) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.model = Objects.requireNonNull(model, "model");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, but is " + partitions);
    }
    this.partitions = partitions;
    this.factory = ModelFactory.of(model);
  }

  /**
   * {@code model}'s gradients computed over {@code partitions} Spark partitions. The result is a
   * {@link StatefulModel} when {@code model} is one (for truncated BPTT), and shares {@code model}'s
   * parameter arrays: an optimizer stepping it steps {@code model}.
   *
   * @throws IllegalArgumentException if {@code partitions} is below 1
   */
  public static SparkDataParallel of(JavaSparkContext spark, RecurrentModel model, int partitions) {
    if (model instanceof StatefulModel<?> stateful) {
      return stateful(spark, stateful, partitions);
    }
    return new SparkDataParallel(spark, model, partitions);
  }

  private static <S extends RecurrentState> SparkDataParallel stateful(
      JavaSparkContext spark, StatefulModel<S> model, int partitions) {
    return new Stateful<>(spark, model, partitions);
  }

  /** The number of partitions a batch is split over. */
  public int partitions() {
    return partitions;
  }

  /** The local model whose parameters this trains. */
  public RecurrentModel local() {
    return model;
  }

  /** Timings and sizes of the last {@code gradients} call, or null before the first. */
  public StepReport lastStep() {
    return lastStep;
  }

  @Override
  public Map<String, INDArray> parameters() {
    return model.parameters();
  }

  @Override
  public DataType dataType() {
    return model.dataType();
  }

  @Override
  public ModelConfig config() {
    return model.config();
  }

  /** A replica of the local model (evaluation on the driver). */
  @Override
  public RecurrentModel replica() {
    return model.replica();
  }

  /** The seed of the next step's dropout masks; see the class comment. */
  @Override
  public void seedDropout(long seed) {
    dropoutSeed = seed;
    callsSinceSeed = 0;
  }

  @Override
  public INDArray forward(INDArray x) {
    return model.forward(x);
  }

  @Override
  public INDArray forward(INDArray x, INDArray mask) {
    return model.forward(x, mask);
  }

  @Override
  public Gradients gradients(INDArray x, INDArray y) {
    return gradients(x, y, null);
  }

  @Override
  public Gradients gradients(INDArray x, INDArray y, INDArray mask) {
    return run(x, y, mask, null, 0).gradients;
  }

  /** The combined gradients of a step and, for truncated BPTT, each shard's state after it. */
  static final class Outcome {
    final Gradients gradients;
    final List<Block[]> states;

    Outcome(Gradients gradients, List<Block[]> states) {
      this.gradients = gradients;
      this.states = states;
    }
  }

  /** Rows {@code [bounds[p], bounds[p + 1])} go to partition {@code p}. */
  static long[] bounds(long rows, int partitions) {
    long[] b = new long[partitions + 1];
    for (int p = 0; p < partitions; p++) {
      b[p + 1] = b[p] + rows / partitions + (p < rows % partitions ? 1 : 0);
    }
    return b;
  }

  /** The dropout seed of {@code partition} at the {@code call}-th step since {@code seed} was set. */
  static long shardSeed(long seed, long call, int partition) {
    if (call == 0 && partition == 0) {
      return seed;
    }
    long z = seed + call * 0x9E3779B97F4A7C15L + (partition + 1) * 0xC2B2AE3D27D4EB4FL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  Outcome run(INDArray x, INDArray y, INDArray mask, List<INDArray> state, int backSteps) {
    long rows = x.size(0);
    if (rows < partitions) {
      throw new IllegalArgumentException(
          "a batch of " + rows + " rows cannot be split over " + partitions + " partitions (each needs "
              + "at least one row): use at most " + rows + " partitions or a larger batch");
    }
    long t0 = System.nanoTime();
    Parameters snapshot = Parameters.of(model.parameters());
    Broadcast<Parameters> broadcast = spark.broadcast(snapshot);
    long t1 = System.nanoTime();
    try {
      long[] bounds = bounds(rows, partitions);
      List<Shard> shards = new ArrayList<>(partitions);
      long shardBytes = 0;
      for (int p = 0; p < partitions; p++) {
        long lo = bounds[p];
        long hi = bounds[p + 1];
        Block[] s = null;
        if (state != null) {
          s = new Block[state.size()];
          for (int i = 0; i < s.length; i++) {
            s[i] = Block.rows(state.get(i), lo, hi);
            shardBytes += s[i].bytes();
          }
        }
        Shard shard = new Shard(p, shardSeed(dropoutSeed, callsSinceSeed, p), Block.rows(x, lo, hi),
            Block.rows(y, lo, hi), mask == null ? null : Block.rows(mask, lo, hi), s, backSteps);
        shardBytes += shard.x().bytes() + shard.y().bytes()
            + (shard.mask() == null ? 0 : shard.mask().bytes());
        shards.add(shard);
      }
      callsSinceSeed++;
      List<ShardResult> results =
          spark.parallelize(shards, partitions).map(new GradientTask(broadcast, factory)).collect();
      long t2 = System.nanoTime();
      Gradients g = combine(results);
      List<Block[]> states = new ArrayList<>(results.size());
      long resultBytes = 0;
      long compute = 0;
      for (ShardResult r : results) {
        states.add(r.state());
        resultBytes += r.bytes();
        compute = Math.max(compute, r.computeNanos());
      }
      long t3 = System.nanoTime();
      lastStep = new StepReport(broadcast.id(), partitions, snapshot.bytes(), shardBytes, resultBytes,
          (t1 - t0) / 1e6, (t2 - t1) / 1e6, compute / 1e6, (t3 - t2) / 1e6);
      return new Outcome(g, states);
    } finally {
      broadcast.destroy();
    }
  }

  /**
   * The mean over the whole batch: each shard's mean gradients weighted by its counted targets, summed
   * in partition order in float64; one shard's as they are.
   */
  private Gradients combine(List<ShardResult> results) {
    if (results.size() == 1) {
      ShardResult r = results.get(0);
      Map<String, INDArray> byName = new LinkedHashMap<>();
      for (int i = 0; i < r.names().length; i++) {
        byName.put(r.names()[i], r.gradients()[i].toArray().castTo(model.dataType()));
      }
      return new Gradients(r.loss(), byName);
    }
    long total = 0;
    for (ShardResult r : results) {
      total += r.counted();
    }
    ShardResult first = results.get(0);
    Map<String, INDArray> byName = new LinkedHashMap<>();
    double loss = 0;
    for (ShardResult r : results) {
      loss += total == 0 ? 0 : r.loss() * r.counted();
    }
    for (int i = 0; i < first.names().length; i++) {
      double[] sum = new double[(int) first.gradients()[i].length()];
      for (ShardResult r : results) {
        if (r.counted() == 0) {
          continue;
        }
        double[] g = r.gradients()[i].asDoubles();
        double w = r.counted();
        for (int k = 0; k < sum.length; k++) {
          sum[k] += w * g[k];
        }
      }
      if (total > 0) {
        for (int k = 0; k < sum.length; k++) {
          sum[k] /= total;
        }
      }
      byName.put(first.names()[i],
          Block.ofDoubles(first.gradients()[i].shape(), sum, model.dataType()).toArray());
    }
    return new Gradients(total == 0 ? 0 : loss / total, byName);
  }

  /** The stateful form, for truncated BPTT: the carried state goes out with the shards and comes back. */
  static final class Stateful<S extends RecurrentState> extends SparkDataParallel
      implements StatefulModel<S> {
    private final StatefulModel<S> stateful;

    Stateful(JavaSparkContext spark, StatefulModel<S> model, int partitions) {
      super(spark, model, partitions);
      this.stateful = model;
    }

    @Override
    public S initialState(int batch) {
      return stateful.initialState(batch);
    }

    @Override
    public Step<S> forward(INDArray x, INDArray mask, S initial) {
      return stateful.forward(x, mask, initial);
    }

    @Override
    public Chunk<S> gradients(INDArray x, INDArray y, INDArray mask, S initial, int backSteps) {
      if (backSteps < 1) {
        throw new IllegalArgumentException("backSteps (k2) must be at least 1, but is " + backSteps);
      }
      int rows = (int) x.size(0);
      S start = initial == null ? stateful.initialState(rows) : initial;
      Outcome o = run(x, y, mask, start.arrays(), backSteps);
      S after = stateful.initialState(rows);
      long[] bounds = bounds(rows, partitions());
      List<INDArray> target = after.arrays();
      for (int p = 0; p < o.states.size(); p++) {
        Block[] s = o.states.get(p);
        for (int i = 0; i < s.length; i++) {
          target.get(i).get(NDArrayIndex.interval(bounds[p], bounds[p + 1])).assign(s[i].toArray());
        }
      }
      return new Chunk<>(o.gradients, after);
    }

    @Override
    public StatefulModel<S> replica() {
      return stateful.replica();
    }
  }
}
