package dev.unroll.examples.generation;

import dev.unroll.training.data.BatchSource;
import dev.unroll.training.data.TrainingBatch;
import java.util.function.Supplier;

/**
 * The generation demos' training data as a {@link BatchSource}: an endless stream of fresh batches drawn
 * from a seeded generator, one epoch that never ends. {@link #seek} to an earlier position starts the
 * stream again from its seed and draws up to the position, so the batches after a seek are the ones an
 * uninterrupted run drew (what resuming from a checkpoint needs).
 *
 * @param <B> the kind of batch
 */
public final class StreamBatches<B extends TrainingBatch> implements BatchSource<B> {

  private final Supplier<Supplier<B>> restart;
  private Supplier<B> stream;
  private long position;

  /**
   * @param restart a new stream from its start: every call returns a stream that draws the same
   *     batches in the same order
   */
  public StreamBatches(Supplier<Supplier<B>> restart) {
    this.restart = restart;
    this.stream = restart.get();
  }

  @Override
  public B next() {
    position++;
    return stream.get();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void seek(long target) {
    if (target < 0) {
      throw new IllegalArgumentException("position must be at least 0, but is " + target);
    }
    if (target < position) {
      stream = restart.get();
      position = 0;
    }
    while (position < target) {
      next();
    }
  }

  /** {@link Long#MAX_VALUE}: the stream has no epochs. */
  @Override
  public long batchesPerEpoch() {
    return Long.MAX_VALUE;
  }
}
