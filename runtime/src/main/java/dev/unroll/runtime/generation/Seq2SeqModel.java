package dev.unroll.runtime.generation;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentState;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A generated encoder-decoder model (translation): the encoder reads the source, its final state at
 * each row's last valid token (through {@code bridge} for a bidirectional encoder) starts the
 * decoder, which reads its own previous token from START on. Arguments come in the order inputs,
 * mask, targets.
 *
 * @param <S> the generated state class (the decoder's state)
 */
public interface Seq2SeqModel<S extends RecurrentState> extends SequenceGenerator<S> {

  /** Size of the encoder's (source) vocabulary. */
  int sourceVocabulary();

  /**
   * Logits {@code [B, T, vocabulary]} with teacher forcing. {@code src} int64 {@code [B, S]} padded at
   * the end; {@code srcMask} {@code [B, S]} 1 at valid tokens (null: every token valid); {@code tgtIn}
   * int64 {@code [B, T]}. Evaluation mode.
   */
  INDArray forward(INDArray src, INDArray srcMask, INDArray tgtIn);

  /**
   * Mean cross-entropy against {@code y} (int64 {@code [B, T]}, -100 at ignored steps) and its
   * gradient for every parameter, the encoder's included. Training mode.
   */
  Gradients gradients(INDArray src, INDArray srcMask, INDArray tgtIn, INDArray y);

  /** The decoder's initial state for a source batch: the encoder's final state (through the bridge). */
  S encode(INDArray src, INDArray srcMask);

  @Override
  Seq2SeqModel<S> replica();
}
