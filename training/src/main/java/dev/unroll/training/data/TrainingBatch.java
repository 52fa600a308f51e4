package dev.unroll.training.data;

/**
 * One batch of training or validation data, of the kind its model's topology reads: a {@link Batch}
 * (inputs and targets, for a many-to-one or many-to-many {@code RecurrentModel}), a
 * {@link OneToManyBatch} (condition vectors and teacher-forced targets) or a {@link Seq2SeqBatch}
 * (source sequences and teacher-forced targets).
 */
public sealed interface TrainingBatch permits Batch, OneToManyBatch, Seq2SeqBatch {

  /** The number of rows. */
  int size();
}
