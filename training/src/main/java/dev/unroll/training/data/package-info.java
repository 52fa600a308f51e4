/**
 * Training data: the batch kinds of the topologies ({@link dev.unroll.training.data.TrainingBatch}: a
 * {@link dev.unroll.training.data.Batch} for many-to-one and many-to-many models, a {@link
 * dev.unroll.training.data.OneToManyBatch}, a {@link dev.unroll.training.data.Seq2SeqBatch}), character
 * and byte vocabularies and corpora, char-rnn style parallel streams cut into chunks for truncated BPTT
 * ({@link dev.unroll.training.data.SequenceBatches}), padding of variable-length sequences with masks
 * ({@link dev.unroll.training.data.Padding}, {@link dev.unroll.training.data.PaddedBatches}), seeded
 * shuffles and train/validation splits.
 */
package dev.unroll.training.data;
