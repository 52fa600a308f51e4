package dev.unroll.runtime.generation;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentState;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A generated one-to-many model (captioning): the condition vector sets every decoder layer's
 * initial hidden state, {@code h0 = tanh(init(v))} (c0 = 0 for an LSTM), and the decoder reads its
 * own previous token from START on. Arguments come in the order inputs, targets.
 *
 * @param <S> the generated state class
 */
public interface OneToManyModel<S extends RecurrentState> extends SequenceGenerator<S> {

  /** Length of the condition vector. */
  int conditionSize();

  /**
   * Logits {@code [B, T, vocabulary]} with teacher forcing: {@code condition [B, conditionSize]},
   * {@code tgtIn} int64 {@code [B, T]} (START, then the target tokens). Evaluation mode.
   */
  INDArray forward(INDArray condition, INDArray tgtIn);

  /**
   * Mean cross-entropy of the logits against {@code y} (int64 {@code [B, T]}, -100 at ignored steps)
   * and its gradient for every parameter, {@code init} included. Training mode.
   */
  Gradients gradients(INDArray condition, INDArray tgtIn, INDArray y);

  /** The decoder's state before its first step: {@code tanh(init(condition))} per layer. */
  S initialState(INDArray condition);

  @Override
  OneToManyModel<S> replica();
}
