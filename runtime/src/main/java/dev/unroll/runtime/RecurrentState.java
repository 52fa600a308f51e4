package dev.unroll.runtime;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recurrent state of a generated model between two calls: for every layer, {@code h} (and
 * {@code c} for an LSTM), each {@code [B, HIDDEN]}. Every generated model has its own typed record
 * implementing this interface ({@code UnrolledX.State}); the arrays belong to whoever holds the record.
 */
public interface RecurrentState {

  /** The state arrays in declaration order (layer 0's h, then c for an LSTM, then layer 1's ...), each [B, H]. */
  List<INDArray> arrays();

  /** The batch size the state is for. */
  default long batch() {
    return arrays().get(0).size(0);
  }
}
