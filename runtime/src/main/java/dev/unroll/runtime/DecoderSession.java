package dev.unroll.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A decoder stepping over preallocated buffers, for decoding loops: {@link #step} feeds one token per
 * row and advances each row's state in place. One loop at a time: a thread that calls {@link #step} or
 * {@link #select} while another thread's call on the same session has not returned gets an
 * {@link IllegalStateException}; give each thread its own session (sessions of one model are
 * independent, so {@link Decoding}'s loops may run on one model from several threads).
 */
public interface DecoderSession {

  /** Rows being decoded. */
  int rows();

  /**
   * Feeds {@code tokens[r]} to row {@code r} and advances every row's state by one step.
   *
   * @return the logits {@code [rows, vocabulary]}: a buffer of this session, overwritten by the next call
   * @throws IllegalArgumentException if {@code tokens} has not {@link #rows()} entries or holds an id
   *     outside the vocabulary
   */
  INDArray step(int[] tokens);

  /**
   * Reorders the rows' states: afterwards row {@code r} holds what row {@code from[r]} held (beam
   * search keeps the best continuations this way).
   */
  void select(int[] from);
}
