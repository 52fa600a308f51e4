package dev.unroll.runtime.internal;

import dev.unroll.runtime.Gradients;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model's gradient arrays that callers handed back ({@link Gradients#release()}), for its next
 * gradients call: {@link #take} returns a spare array of the asked shape, zeroed, or a fresh one when
 * there is none. Fresh arrays are what every call got before; on these machines ND4J's native
 * allocation costs about 14 ns per float (15 ms for 1 M floats, page by page) against 0.3 ns to zero
 * one, so a training loop that releases its gradients saves most of that.
 *
 * <p>A generated model passes this object as the {@link Gradients.Owner} of the gradients it returns,
 * which hold only arrays it took from here; {@code release()} gives them back once. At most two
 * released sets are kept (a caller releasing many at once leaves the rest to the garbage collector).
 * Thread-safe: a caller may release on another thread than the model's.
 */
public final class SpareArrays implements Gradients.Owner {
  /** Arrays given back, ready for reuse. */
  private final List<INDArray> spare = new ArrayList<>();

  /** A zeroed array of {@code shape}: a spare one when there is one, else a fresh one. */
  public synchronized INDArray take(DataType dataType, long... shape) {
    INDArray a = null;
    for (int k = 0; k < spare.size(); k++) {
      INDArray s = spare.get(k);
      if (s.dataType() == dataType && Arrays.equals(s.shape(), shape)) {
        a = spare.remove(k);
        a.assign(0);
        break;
      }
    }
    return a != null ? a : Nd4j.create(dataType, shape);
  }

  @Override
  public synchronized void reuse(Collection<INDArray> arrays) {
    // at most two sets: room for this one while no more than one is kept
    if (spare.size() <= arrays.size()) {
      spare.addAll(arrays);
    }
  }
}
