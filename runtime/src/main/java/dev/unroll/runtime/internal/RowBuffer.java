package dev.unroll.runtime.internal;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One row at a time of a matrix in an ND4J buffer, as a Java array: generated models write a cell's
 * element-wise math as one plain Java loop per batch row over these arrays. Bind it to this step's
 * matrix, {@link #read} a row (or take {@link #row} to fill), compute, {@link #write} it back. A
 * model keeps one per operand and rebinds it every step, so the loop allocates nothing.
 *
 * <p>Two forms, one per data type: {@code double[]} rows ({@link #read}, {@link #row},
 * {@link #write}) for DOUBLE models, and {@code float[]} rows ({@link #readFloats},
 * {@link #floatRow}, {@link #writeFloats}) for FLOAT models, which copy the buffer's floats as they
 * are: no conversion each way, and float arithmetic in the loop runs twice as many lanes per SIMD
 * instruction (one LSTM step's element-wise part, JMH {@code StepPartsBenchmark}: 61 µs with double
 * rows, 32 µs with float rows at B32 H128; 386 and 174 µs at B64 H512).
 */
public final class RowBuffer {
  private final Block.Context context = new Block.Context();
  private Block block;
  private double[] row = new double[0];
  private float[] floatRow = new float[0];

  /** Points this buffer at {@code m} (a row-major matrix or vector with unit column stride). */
  public RowBuffer bind(INDArray m) {
    block = Block.of(m, context, block);
    if (row.length < block.cols) {
      row = new double[block.cols];
      floatRow = new float[block.cols];
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

  /** Row {@code r} of the bound matrix as floats, copied into this buffer's float array (valid until the next call). */
  public float[] readFloats(int r) {
    block.readFloats(r, floatRow);
    return floatRow;
  }

  /** This buffer's float array, to fill and then {@link #writeFloats}. */
  public float[] floatRow() {
    return floatRow;
  }

  /** Copies this buffer's float array into row {@code r} of the bound matrix. */
  public void writeFloats(int r) {
    block.writeFloats(r, floatRow);
  }
}
