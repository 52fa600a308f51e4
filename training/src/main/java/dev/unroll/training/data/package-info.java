/**
 * Training data: character and byte vocabularies and corpora, char-rnn style parallel streams cut into
 * chunks for truncated BPTT ({@link dev.unroll.training.data.SequenceBatches}), padding of
 * variable-length sequences with masks ({@link dev.unroll.training.data.Padding}, {@link
 * dev.unroll.training.data.PaddedBatches}), seeded shuffles and train/validation splits.
 */
package dev.unroll.training.data;
