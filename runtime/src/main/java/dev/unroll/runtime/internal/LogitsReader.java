package dev.unroll.runtime.internal;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a decoder session's logits {@code [rows, vocabulary]} a row at a time into one reused array:
 * in bulk from a FLOAT or DOUBLE buffer, other types or layouts element by element ({@code Decoding}'s
 * loops).
 */
public final class LogitsReader {
  private final double[] row;
  private final int vocab;
  private INDArray bound;
  private Block block;

  public LogitsReader(int vocab) {
    this.vocab = vocab;
    this.row = new double[vocab];
  }

  public void bind(INDArray logits, int rows) {
    if (logits == null || logits.rank() != 2 || logits.size(0) != rows || logits.size(1) != vocab) {
      throw new IllegalStateException("the decoder session returned logits of shape "
          + (logits == null ? "null" : Arrays.toString(logits.shape())) + " but they must be [" + rows
          + ", " + vocab + "] (rows, vocabulary)");
    }
    if (logits != bound) {
      bound = logits;
      DataType type = logits.dataType();
      boolean bulk = (type == DataType.FLOAT || type == DataType.DOUBLE)
          && (vocab == 1 || logits.stride(1) == 1)
          && logits.offset() + (long) rows * Math.max(vocab, logits.stride(0)) <= Integer.MAX_VALUE;
      block = bulk ? Block.of(logits) : null;
    }
  }

  /** Row {@code r} of the bound logits in this reader's array (valid until the next call). */
  public double[] read(int r) {
    if (block != null) {
      block.read(r, row);
    } else {
      for (int v = 0; v < vocab; v++) {
        row[v] = bound.getDouble(r, v);
      }
    }
    return row;
  }
}
