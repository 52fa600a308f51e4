package dev.unroll.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The element-wise and matrix kernels that generated models call, named after the math they do.
 * Every method writes into a caller-owned output (usually a view made once per batch shape), so a
 * generated step allocates nothing. Unless a method says otherwise, {@code out} may be the same array
 * as its first operand of a pairwise operation but must not alias the other inputs.
 *
 * <p>All matrices are row-major {@code [rows, columns]}; "·" is a matrix product, "⊙" element-wise.
 */
public final class Ops {
  private Ops() {}

  /** {@code c += a · wᵀ}: adds a batch of row vectors times a PyTorch-layout weight {@code [out, in]}. */
  public static void addProductT(INDArray c, INDArray a, INDArray w) {
    Nd4j.gemm(a, w, c, false, true, 1.0, 1.0);
  }

  /** {@code c = a · wᵀ}. */
  public static void productT(INDArray c, INDArray a, INDArray w) {
    Nd4j.gemm(a, w, c, false, true, 1.0, 0.0);
  }

  /** {@code c = a · w}: back through a weight {@code [out, in]}, from {@code [B, out]} to {@code [B, in]}. */
  public static void product(INDArray c, INDArray a, INDArray w) {
    Nd4j.gemm(a, w, c, false, false, 1.0, 0.0);
  }

  /** {@code c += a · w}. */
  public static void addProduct(INDArray c, INDArray a, INDArray w) {
    Nd4j.gemm(a, w, c, false, false, 1.0, 1.0);
  }

  /** {@code c = aᵀ · b}: a weight gradient summed over all rows (all steps and batch rows) at once. */
  public static void transposedProduct(INDArray c, INDArray a, INDArray b) {
    Nd4j.gemm(a, b, c, true, false, 1.0, 0.0);
  }

  /** {@code out = Σ_rows a}: a bias gradient summed over all steps and batch rows. */
  public static void columnSums(INDArray out, INDArray a) {
    a.sum(out, 0);
  }

  /** {@code x += row} for every row of {@code x} (a bias added to a batch). */
  public static void addRow(INDArray x, INDArray row) {
    x.addiRowVector(row);
  }

  /** {@code x = σ(x)}, in place. */
  public static void sigmoid(INDArray x) {
    Nd4j.getExecutioner().exec(new Sigmoid(x, x));
  }

  /** {@code x = tanh(x)}, in place. */
  public static void tanh(INDArray x) {
    Nd4j.getExecutioner().exec(new Tanh(x, x));
  }

  /** {@code out = tanh(x)}. */
  public static void tanh(INDArray out, INDArray x) {
    Nd4j.getExecutioner().exec(new Tanh(x, out));
  }

  /** {@code x = max(0, x)}, in place. */
  public static void relu(INDArray x) {
    Transforms.relu(x, false);
  }

  /** {@code out = max(0, x)}. */
  public static void relu(INDArray out, INDArray x) {
    out.assign(x);
    Transforms.relu(out, false);
  }

  /** {@code out = a}. */
  public static void copy(INDArray out, INDArray a) {
    out.assign(a);
  }

  /** {@code out = a + b}. */
  public static void add(INDArray out, INDArray a, INDArray b) {
    a.add(b, out);
  }

  /** {@code out = a − b}. */
  public static void sub(INDArray out, INDArray a, INDArray b) {
    a.sub(b, out);
  }

  /** {@code out = a ⊙ b}. */
  public static void mul(INDArray out, INDArray a, INDArray b) {
    a.mul(b, out);
  }

  /** {@code out += a ⊙ b}, using {@code scratch} (same shape, no other role). */
  public static void addMul(INDArray out, INDArray a, INDArray b, INDArray scratch) {
    a.mul(b, scratch);
    out.addi(scratch);
  }

  /** {@code out = (1 − z) ⊙ a + z ⊙ b}, i.e. {@code a + z ⊙ (b − a)}; {@code out} aliases none of the inputs. */
  public static void lerp(INDArray out, INDArray a, INDArray b, INDArray z) {
    b.sub(a, out);
    out.muli(z).addi(a);
  }

  /** {@code out = dy ⊙ y ⊙ (1 − y)}: back through {@code y = σ(x)}; {@code out} aliases neither input. */
  public static void sigmoidGrad(INDArray out, INDArray y, INDArray dy) {
    y.rsub(1.0, out);
    out.muli(y).muli(dy);
  }

  /** {@code out = dy ⊙ (1 − y²)}: back through {@code y = tanh(x)}; {@code out} aliases neither input. */
  public static void tanhGrad(INDArray out, INDArray y, INDArray dy) {
    y.mul(y, out);
    out.rsubi(1.0).muli(dy);
  }

  /** {@code out = dy ⊙ [y > 0]}: back through {@code y = max(0, x)}; {@code out} aliases neither input. */
  public static void reluGrad(INDArray out, INDArray y, INDArray dy) {
    out.assign(y);
    Transforms.sign(out, false);
    out.muli(dy);
  }

  /**
   * Padding: {@code state = prev + m ⊙ (state − prev)} with {@code m [B, 1]} 0 or 1, so a padded row
   * keeps its previous state.
   */
  public static void keepPadded(INDArray state, INDArray prev, INDArray m) {
    state.subi(prev).muliColumnVector(m).addi(prev);
  }

  /**
   * Padding, backwards: splits a state gradient into the part that reaches this step's cell
   * ({@code grad = m ⊙ grad}) and the part that passes to the previous state unchanged
   * ({@code passed = (1 − m) ⊙ grad}), with {@code m [B, 1]} 0 or 1.
   */
  public static void splitPadded(INDArray grad, INDArray passed, INDArray m) {
    passed.assign(grad);
    grad.muliColumnVector(m);
    passed.subi(grad);
  }
}
