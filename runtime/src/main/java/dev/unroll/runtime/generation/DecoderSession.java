package dev.unroll.runtime.generation;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A decoder stepping over preallocated buffers, for decoding loops: {@link #step} feeds one token per
 * row and advances each row's state in place. One loop at a time: a thread that calls {@link #step} or
 * {@link #select} while another thread's call on the same session has not returned gets an
 * {@link IllegalStateException}; give each thread its own session (sessions of one model are
 * independent, so {@link Decoding}'s loops may run on one model from several threads).
 */
public interface DecoderSession {

  /** Rows being decoded: the state's batch times the copies at first, fewer once {@link #select} drops rows. */
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
   * Reorders the rows' states, and drops rows: afterwards the session has {@code from.length} rows and
   * row {@code r} holds what row {@code from[r]} held (beam search keeps the best continuations this
   * way; an index may appear more than once). With fewer entries than {@link #rows()}, the rows no
   * longer wanted leave: later steps take {@code from.length} tokens, return that many rows of logits
   * and cost only those rows (the decoding loops drop the rows that have finished this way).
   *
   * @throws IllegalArgumentException if {@code from} is empty, longer than {@link #rows()}, or holds an
   *     index that is not a row
   */
  void select(int[] from);
}
