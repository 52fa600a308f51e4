package dev.unroll.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One row at a time of a matrix in an ND4J buffer, as a {@code double[]}: generated models write a
 * cell's element-wise math as one plain Java loop per batch row over these arrays. Bind it to this
 * step's matrix, {@link #read} a row (or take {@link #row} to fill), compute, {@link #write} it back.
 * A model keeps one per operand and rebinds it every step, so the loop allocates nothing.
 */
public final class RowBuffer {
  private final Block.Context context = new Block.Context();
  private Block block;
  private double[] row = new double[0];

  /** Points this buffer at {@code m} (a row-major matrix or vector with unit column stride). */
  public RowBuffer bind(INDArray m) {
    block = Block.of(m, context, block);
    if (row.length < block.cols) {
      row = new double[block.cols];
    }
    return this;
  }

  /** Row {@code r} of the bound matrix, copied into this buffer's array (valid until the next call). */
  public double[] read(int r) {
    block.read(r, row);
    return row;
  }

  /** This buffer's array, to fill and then {@link #write}. */
  public double[] row() {
    return row;
  }

  /** Copies this buffer's array into row {@code r} of the bound matrix. */
  public void write(int r) {
    block.write(r, row);
  }
}
