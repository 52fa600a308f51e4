package dev.unroll.benchmarks;

import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.StatefulModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Feeds a stateful model one step at a time, carrying the state from call to call: the streaming
 * inference loop whose per-step latency the benchmarks measure.
 *
 * @param <S> the model's state record
 */
public final class Streamer<S extends RecurrentState> {
  private final StatefulModel<S> model;
  private S state;

  private Streamer(StatefulModel<S> model, int batch) {
    this.model = model;
    this.state = model.initialState(batch);
  }

  /** A streamer over {@code model}, which must be unidirectional (a {@link StatefulModel}). */
  public static Streamer<?> of(RecurrentModel model, int batch) {
    if (!(model instanceof StatefulModel<?> stateful)) {
      throw new IllegalArgumentException(model.config().model() + " has no carried state (bidirectional?)");
    }
    return wrap(stateful, batch);
  }

  private static <S extends RecurrentState> Streamer<S> wrap(StatefulModel<S> model, int batch) {
    return new Streamer<>(model, batch);
  }

  /** One step: {@code x} is {@code [B, 1, I]}; returns the logits and keeps the new state. */
  public INDArray step(INDArray x) {
    StatefulModel.Step<S> out = model.forward(x, null, state);
    state = out.state();
    return out.logits();
  }
}
