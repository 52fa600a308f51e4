package dev.unroll.runtime.generation;

import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.runtime.UnrolledModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A generated model that writes token sequences: a one-to-many model ({@link OneToManyModel}) or an
 * encoder-decoder ({@link Seq2SeqModel}). Its decoder reads its own previous token, starting from
 * {@link #startToken()}, until it writes {@link #endToken()} or has written {@link #maxSteps()} tokens.
 *
 * <p>Two ways to decode: {@link Decoding}'s greedy, sampling and beam-search loops over a
 * {@link #session} (preallocated buffers, nothing allocated per step but ND4J's call objects), or your
 * own loop over {@link #step}, which takes and returns the generated, typed state.
 *
 * @param <S> the model's generated state class: the decoder's h (and c for an LSTM) of every layer
 */
public interface SequenceGenerator<S extends RecurrentState> extends UnrolledModel {

  /** The token that starts every decoded sequence (it is fed, never returned). */
  int startToken();

  /** The token that ends a decoded sequence (returned as its last token). */
  int endToken();

  /** The most tokens a built-in decoding loop writes per row, END included. */
  int maxSteps();

  /** Size of the decoder's vocabulary: logits per step. */
  int vocabulary();

  /**
   * One decoding step: feeds {@code tokens} (int64 {@code [B]}, one id per row) to the decoder in
   * state {@code state} and returns the logits {@code [B, vocabulary]} and the state after the step.
   * Evaluation mode. Allocates the result; {@code state} is not changed.
   */
  StatefulModel.Step<S> step(INDArray tokens, S state);

  /**
   * A decoding session starting from {@code state}, with every row of it repeated {@code copies}
   * times in a row (row {@code r * copies + j} is copy {@code j} of row {@code r}; {@code copies} is
   * the beam width, 1 otherwise). The session has its own buffers; this model is not changed.
   */
  DecoderSession session(S state, int copies);

  @Override
  SequenceGenerator<S> replica();
}
