package dev.unroll.training.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Batches of independent, variable-length sequences, padded with {@link Padding}, in a seeded random
 * order that is drawn afresh for every epoch (or in data order). The order of epoch {@code e} depends
 * only on the seed and {@code e}, so a position restored with {@link #seek} continues exactly as an
 * uninterrupted run. Every batch {@link Batch#startsStreams() starts its streams}; the last batch of an
 * epoch is smaller when the batch size does not divide the number of examples.
 */
public final class PaddedBatches implements BatchSource {

  /** Builds one batch from the examples at some indices. */
  @FunctionalInterface
  public interface Collator {
    /** The batch of the examples at {@code indices}, in that order. */
    Batch collate(int[] indices);
  }

  private final int size;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final Collator collator;
  private final long batches;
  private long position;
  private long permutationEpoch = -1;
  private int[] permutation;

  /**
   * @param size the number of examples, at least 1
   * @param batchSize examples per batch, at least 1
   * @param shuffle whether every epoch draws a new order (else data order)
   * @param seed the seed of the orders
   * @param collator builds a batch from example indices
   */
  public PaddedBatches(int size, int batchSize, boolean shuffle, long seed, Collator collator) {
    if (size < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "size and batchSize must be at least 1, but are " + size + " and " + batchSize);
    }
    this.size = size;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.collator = Objects.requireNonNull(collator, "collator");
    this.batches = (size + batchSize - 1) / batchSize;
  }

  /**
   * Token sequences with per-step targets (sequence labelling, language models): x int64 {@code [B, T]},
   * y int64 {@code [B, T]} with -100 at padding, mask {@code [B, T]} of {@code maskType}.
   */
  public static PaddedBatches tokens(
      List<int[]> inputs, List<int[]> targets, int batchSize, boolean shuffle, long seed,
      DataType maskType) {
    checkPairs(inputs.size(), targets.size());
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).length != targets.get(i).length) {
        throw new IllegalArgumentException(
            "example " + i + " has " + inputs.get(i).length + " inputs but "
                + targets.get(i).length + " targets");
      }
    }
    return new PaddedBatches(inputs.size(), batchSize, shuffle, seed, idx -> {
      List<int[]> x = Splits.select(inputs, idx);
      return new Batch(Padding.tokens(x), Padding.targets(Splits.select(targets, idx)),
          Padding.mask(Padding.lengths(x), maskType), true);
    });
  }

  /** Token sequences with one label each (classification): y int64 {@code [B]}. */
  public static PaddedBatches tokenLabels(
      List<int[]> inputs, int[] labels, int batchSize, boolean shuffle, long seed,
      DataType maskType) {
    checkPairs(inputs.size(), labels.length);
    return new PaddedBatches(inputs.size(), batchSize, shuffle, seed, idx -> {
      List<int[]> x = Splits.select(inputs, idx);
      return new Batch(Padding.tokens(x), Padding.labels(Splits.select(labels, idx)),
          Padding.mask(Padding.lengths(x), maskType), true);
    });
  }

  /**
   * Feature sequences ({@code [steps][F]} each) with per-step targets: x {@code [B, T, F]} of
   * {@code type}, y int64 {@code [B, T]} with -100 at padding, mask of {@code type}.
   */
  public static PaddedBatches features(
      List<double[][]> inputs, List<int[]> targets, int batchSize, boolean shuffle, long seed,
      DataType type) {
    checkPairs(inputs.size(), targets.size());
    return new PaddedBatches(inputs.size(), batchSize, shuffle, seed, idx -> {
      List<double[][]> x = Splits.select(inputs, idx);
      return new Batch(Padding.features(x, type), Padding.targets(Splits.select(targets, idx)),
          Padding.mask(Padding.featureLengths(x), type), true);
    });
  }

  /** Feature sequences with one label each: y int64 {@code [B]}. */
  public static PaddedBatches featureLabels(
      List<double[][]> inputs, int[] labels, int batchSize, boolean shuffle, long seed,
      DataType type) {
    checkPairs(inputs.size(), labels.length);
    return new PaddedBatches(inputs.size(), batchSize, shuffle, seed, idx -> {
      List<double[][]> x = Splits.select(inputs, idx);
      return new Batch(Padding.features(x, type), Padding.labels(Splits.select(labels, idx)),
          Padding.mask(Padding.featureLengths(x), type), true);
    });
  }

  /**
   * Feature sequences with per-step float targets (regression, many-to-many: {@code @Output(loss =
   * Loss.MSE)}): x {@code [B, T, F]} and y {@code [B, T, n]} of {@code type}, both padded with zeros,
   * and the mask of {@code type}. Float targets have no -100: the mask alone leaves padded steps out of
   * the loss.
   *
   * @param targets each {@code [steps][n]}, as many steps as its input sequence
   */
  public static PaddedBatches featureSeries(
      List<double[][]> inputs, List<double[][]> targets, int batchSize, boolean shuffle, long seed,
      DataType type) {
    checkPairs(inputs.size(), targets.size());
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).length != targets.get(i).length) {
        throw new IllegalArgumentException(
            "example " + i + " has " + inputs.get(i).length + " input steps but "
                + targets.get(i).length + " target steps");
      }
    }
    return new PaddedBatches(inputs.size(), batchSize, shuffle, seed, idx -> {
      List<double[][]> x = Splits.select(inputs, idx);
      return new Batch(Padding.features(x, type), Padding.features(Splits.select(targets, idx), type),
          Padding.mask(Padding.featureLengths(x), type), true);
    });
  }

  /**
   * Feature sequences with one float target vector each (regression, many-to-one: {@code @Output(loss
   * = Loss.MSE)}): x {@code [B, T, F]}, y {@code [B, n]} and the mask, all of {@code type}.
   */
  public static PaddedBatches featureValues(
      List<double[][]> inputs, List<double[]> targets, int batchSize, boolean shuffle, long seed,
      DataType type) {
    checkPairs(inputs.size(), targets.size());
    return new PaddedBatches(inputs.size(), batchSize, shuffle, seed, idx -> {
      List<double[][]> x = Splits.select(inputs, idx);
      return new Batch(Padding.features(x, type), Padding.values(Splits.select(targets, idx), type),
          Padding.mask(Padding.featureLengths(x), type), true);
    });
  }

  private static void checkPairs(int inputs, int targets) {
    if (inputs != targets) {
      throw new IllegalArgumentException(
          inputs + " input sequences but " + targets + " targets");
    }
  }

  @Override
  public long batchesPerEpoch() {
    return batches;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void seek(long position) {
    if (position < 0) {
      throw new IllegalArgumentException("position must be at least 0, but is " + position);
    }
    this.position = position;
  }

  /** The example indices of the batch at {@code position}. */
  public int[] indicesAt(long position) {
    long epoch = position / batches;
    int b = (int) (position % batches);
    int[] order = order(epoch);
    int from = b * batchSize;
    int to = Math.min(size, from + batchSize);
    int[] out = new int[to - from];
    System.arraycopy(order, from, out, 0, out.length);
    return out;
  }

  @Override
  public Batch next() {
    int[] idx = indicesAt(position);
    position++;
    return collator.collate(idx);
  }

  private int[] order(long epoch) {
    if (epoch != permutationEpoch) {
      if (shuffle) {
        // one independent stream per epoch: the order of an epoch depends only on (seed, epoch)
        SplittableRandom r = new SplittableRandom(seed ^ (epoch * 0x9E3779B97F4A7C15L));
        permutation = Splits.permutation(size, r);
      } else {
        permutation = new int[size];
        for (int i = 0; i < size; i++) {
          permutation[i] = i;
        }
      }
      permutationEpoch = epoch;
    }
    return permutation;
  }

  /** The examples of every batch of one epoch, for tests and inspection. */
  public List<int[]> epochIndices(long epoch) {
    List<int[]> out = new ArrayList<>();
    for (long b = 0; b < batches; b++) {
      out.add(indicesAt(epoch * batches + b));
    }
    return out;
  }
}
