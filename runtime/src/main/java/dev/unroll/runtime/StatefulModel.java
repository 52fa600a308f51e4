package dev.unroll.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A unidirectional generated model whose recurrent state can be passed in and taken out, for streaming
 * inference, sampling, and truncated backpropagation through time. The state is explicit: the model
 * object never keeps it between calls.
 *
 * @param <S> the model's generated state record
 */
public interface StatefulModel<S extends RecurrentState> extends RecurrentModel {

  /** The zero state for a batch of {@code batch} rows (what {@code forward(x)} starts from). */
  S initialState(int batch);

  /**
   * Logits from {@code initial}, and the state after each row's last valid step.
   *
   * @param mask {@code [B, T]} or null (every step valid)
   */
  Step<S> forward(INDArray x, INDArray mask, S initial);

  /**
   * Loss and gradients of one chunk of a longer sequence that starts from {@code initial} (no gradient
   * flows into {@code initial}: the cut of truncated BPTT), and the state after the chunk. Training mode.
   * The losses of all steps count; gradients flow back through the recurrence of at most the last
   * {@code backSteps} steps (k2 of TBPTT(k1, k2); {@code backSteps >= T} is full BPTT over the chunk).
   *
   * @param mask {@code [B, T]} or null (every step valid)
   */
  Chunk<S> gradients(INDArray x, INDArray y, INDArray mask, S initial, int backSteps);

  @Override
  StatefulModel<S> replica();

  /** Logits and the state after them. The arrays belong to the caller. */
  record Step<S extends RecurrentState>(INDArray logits, S state) {}

  /** Gradients of one chunk and the state after it. The arrays belong to the caller. */
  record Chunk<S extends RecurrentState>(Gradients gradients, S state) {}
}
