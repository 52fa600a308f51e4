package dev.unroll.spark;

import java.io.Serializable;

/**
 * What one partition sends back from a training step.
 *
 * @param loss the mean loss over the partition's counted targets
 * @param counted the targets that count (not -100): the weight of this partition's gradients
 * @param names the parameter names, in the order of {@code gradients}
 * @param gradients the mean gradients over the counted targets
 * @param state the state after the chunk (truncated BPTT), or null
 * @param computeNanos time spent in the model's {@code gradients}
 */
record ShardResult(
    double loss, long counted, String[] names, Block[] gradients, Block[] state, long computeNanos)
    implements Serializable {

  /** The bytes of the gradients and state (what moves back to the driver, headers aside). */
  long bytes() {
    long n = 0;
    for (Block b : gradients) {
      n += b.bytes();
    }
    if (state != null) {
      for (Block b : state) {
        n += b.bytes();
      }
    }
    return n;
  }
}
