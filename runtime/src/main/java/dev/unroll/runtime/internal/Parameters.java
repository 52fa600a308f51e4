package dev.unroll.runtime.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The parameter maps of generated classes: their parameters, and each call's gradients. */
public final class Parameters {

  private Parameters() {}

  /**
   * {@code arrays} keyed by {@code names}, in order, unmodifiable: a generated class's
   * {@code parameters()}, or the map of a {@code Gradients}.
   *
   * @param names PyTorch's {@code state_dict} names, in declaration order
   * @param arrays one array per name, in the same order (held, not copied)
   * @throws IllegalArgumentException if the counts differ
   */
  public static Map<String, INDArray> named(List<String> names, INDArray... arrays) {
    if (names.size() != arrays.length) {
      throw new IllegalArgumentException(names.size() + " names but " + arrays.length + " arrays");
    }
    Map<String, INDArray> map = new LinkedHashMap<>();
    for (int k = 0; k < arrays.length; k++) {
      map.put(names.get(k), arrays[k]);
    }
    return Collections.unmodifiableMap(map);
  }
}
