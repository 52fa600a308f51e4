package dev.unroll.training.data;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A long token stream cut, as char-rnn does, into {@code B} parallel streams that are read in
 * successive chunks of {@code k1} steps for truncated backpropagation through time with carried state.
 *
 * <p>With {@code N} tokens, each stream is {@code L = (N - 1) / B} steps long: row {@code b} reads the
 * tokens {@code b·L} to {@code b·L + L - 1} as inputs and the tokens one further as targets (so
 * {@code y[b, t] = x[b, t + 1]} inside a chunk, and the target of a chunk's last step is the input of
 * the next chunk's first step). An epoch is {@code ceil(L / k1)} chunks; the last one is shorter when
 * {@code k1} does not divide {@code L}, and is never skipped. At most {@code B - 1} tokens at the end
 * of the stream are unused. The first chunk of every epoch {@link Batch#startsStreams() starts the
 * streams}.
 *
 * <p>Batches are int64 {@code x} and {@code y} of {@code [B, steps]} with no mask.
 */
public final class SequenceBatches implements BatchSource<Batch> {

  private final int[] tokens;
  private final int batch;
  private final int steps;
  private final int streamLength;
  private final int chunks;
  private long position;

  /**
   * @param tokens the token stream (copied)
   * @param batch the number of parallel streams B, at least 1
   * @param steps the chunk length k1, at least 1
   * @throws IllegalArgumentException if the stream is too short to give every row one step
   */
  public SequenceBatches(int[] tokens, int batch, int steps) {
    Objects.requireNonNull(tokens, "tokens");
    if (batch < 1 || steps < 1) {
      throw new IllegalArgumentException(
          "batch and steps must be at least 1, but are " + batch + " and " + steps);
    }
    if (tokens.length - 1 < batch) {
      throw new IllegalArgumentException(
          "a stream of " + tokens.length + " tokens is too short for " + batch
              + " parallel rows: it needs at least " + (batch + 1)
              + " (one input and one target per row)");
    }
    this.tokens = tokens.clone();
    this.batch = batch;
    this.steps = steps;
    this.streamLength = (tokens.length - 1) / batch;
    this.chunks = (streamLength + steps - 1) / steps;
  }

  /** The number of rows B. */
  public int batch() {
    return batch;
  }

  /** The chunk length k1. */
  public int steps() {
    return steps;
  }

  /** The length L of each row's stream, in steps. */
  public int streamLength() {
    return streamLength;
  }

  @Override
  public long batchesPerEpoch() {
    return chunks;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void seek(long position) {
    if (position < 0) {
      throw new IllegalArgumentException("position must be at least 0, but is " + position);
    }
    this.position = position;
  }

  @Override
  public Batch next() {
    int chunk = (int) (position % chunks);
    position++;
    int start = chunk * steps;
    int length = Math.min(steps, streamLength - start);
    long[] x = new long[batch * length];
    long[] y = new long[batch * length];
    for (int b = 0; b < batch; b++) {
      int from = b * streamLength + start;
      for (int t = 0; t < length; t++) {
        x[b * length + t] = tokens[from + t];
        y[b * length + t] = tokens[from + t + 1];
      }
    }
    long[] shape = {batch, length};
    return new Batch(
        Nd4j.create(x, shape, DataType.INT64), Nd4j.create(y, shape, DataType.INT64), null,
        chunk == 0);
  }

  /** The whole stream of one row as int64 {@code [1, L]} inputs; for tests and evaluation. */
  public INDArray row(int b) {
    long[] x = new long[streamLength];
    for (int t = 0; t < streamLength; t++) {
      x[t] = tokens[b * streamLength + t];
    }
    return Nd4j.create(x, new long[] {1, streamLength}, DataType.INT64);
  }
}
