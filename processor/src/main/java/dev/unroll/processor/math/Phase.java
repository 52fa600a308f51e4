package dev.unroll.processor.math;

import java.util.List;

/**
 * A part of one step: either statements on whole matrices (the recurrent products, written as
 * {@code Ops} calls on this step's arrays) or one plain Java loop over the batch rows and the units
 * {@code k < HIDDEN} that does the element-wise math of the cell, one scalar equation per line.
 */
public sealed interface Phase {

  /** The equations of this phase, in order. */
  List<Equation> equations();

  /** Matrix statements: products and whole-array kernels. */
  record Matrix(List<Equation> equations) implements Phase {
    public Matrix {
      equations = List.copyOf(equations);
    }
  }

  /**
   * One loop over rows {@code b}; inside it, per-unit equations run in loops over units {@code k}
   * and per-row equations (activations over a run of units, {@link Equation#row}) between them. Each
   * named array is this step's matrix of that name, seen one row at a time as a {@code double[]}: gate
   * blocks at {@code a[k]}, {@code a[HIDDEN + k]}, ... The statements are written with {@code double}
   * locals; the generator also emits them over {@code float[]} rows with {@code float} locals for
   * FLOAT models, so they must not use floating-point literals (integers, as in {@code 1 - o}, are fine).
   *
   * @param reads  arrays whose row is read before the units are computed
   * @param writes arrays whose row is written after (an array may be in both)
   * @param once   vectors read once before the loop (biases), indexed like a row
   */
  record Elements(List<String> reads, List<String> writes, List<String> once, List<Equation> equations)
      implements Phase {
    public Elements {
      reads = List.copyOf(reads);
      writes = List.copyOf(writes);
      once = List.copyOf(once);
      equations = List.copyOf(equations);
    }
  }

  /** A matrix phase. */
  static Phase matrix(Equation... equations) {
    return new Matrix(List.of(equations));
  }

  /** An element phase without vectors read once. */
  static Phase elements(List<String> reads, List<String> writes, Equation... equations) {
    return new Elements(reads, writes, List.of(), List.of(equations));
  }
}
