package dev.unroll.training.data;

/**
 * An endless, reproducible sequence of batches that goes through its data once per epoch. The
 * position counts the batches handed out since the start of epoch 0; {@link #seek} returns to any
 * position (for example one saved in a checkpoint), after which the same batches follow as in an
 * uninterrupted run.
 *
 * @param <B> the kind of batch: {@link Batch} for a {@code RecurrentModel}, {@link OneToManyBatch} or
 *     {@link Seq2SeqBatch} for a sequence generator
 */
public interface BatchSource<B extends TrainingBatch> {

  /** The batch at {@link #position()}; the position then advances by one. */
  B next();

  /** The number of batches handed out so far (the index of the next batch). */
  long position();

  /** Makes {@code position} the index of the next batch. */
  void seek(long position);

  /** The number of batches in one pass over the data, at least 1. */
  long batchesPerEpoch();

  /** The epoch (from 0) of the next batch. */
  default long epoch() {
    return position() / batchesPerEpoch();
  }
}
