package dev.unroll.runtime.internal;

import dev.unroll.runtime.RuntimeOptions;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products straight into OpenBLAS's {@code cblas_?gemm}, the library ND4J's CPU backend
 * itself calls. {@code Nd4j.gemm} reaches the same routine through a custom {@code matmul} op,
 * whose op context, shape checks and JNI round trips cost 25–40 µs per call (measured: a
 * 32 × 128 · 128 × 512 product takes 118 µs through {@code Nd4j.gemm} and 77 µs directly); a
 * model makes one or two such calls per time step, so that overhead is a large share of a step.
 *
 * <p>The operands are passed as NIO views of the arrays' buffers with their offset and row stride
 * ({@code lda}), so row blocks and column blocks of larger buffers need no copy. Anything this path
 * does not cover (another backend such as CUDA, a column-major or non-unit column stride, mixed data
 * types) goes to libnd4j's {@code matmul} ({@link Matmul}, or {@code Nd4j.gemm} where that does not
 * cover it either).
 *
 * <p>Which path products take is {@code -Dunroll.directBlas} ({@link RuntimeOptions#directBlas()}). {@code auto} (the default) goes straight
 * to OpenBLAS, except on a libnd4j built with oneDNN (the {@code -onednn-avx2} jar), where float32
 * products of at least {@link #ONEDNN_FROM} multiply-adds go to libnd4j's {@code matmul} op, which
 * runs them on oneDNN, called through {@link Matmul}'s reused op contexts (else {@code Nd4j.gemm}).
 * Measured (JMH {@code ProductBenchmark}, 1 thread, µs, OpenBLAS direct vs {@code Matmul} on oneDNN,
 * two runs of the latter): 32·128·128 20.0 vs 23.0, 26.0; 32·128·384 60.1 vs 51.3, 48.8; 32·128·512
 * 76.6 vs 58.0, 59.6; 32·256·1024 297 vs 236, 241; 64·512·2048 2215 vs 1980, 1775. oneDNN has no
 * float64 product, so doubles stay direct. {@code true} always goes straight to OpenBLAS, {@code
 * false} always through libnd4j. {@code axpy} goes straight to OpenBLAS on the CPU backend either way
 * (oneDNN has none).
 */
final class Blas {
  /** With {@code auto} on the oneDNN jar: float32 products from this many multiply-adds on go to oneDNN. */
  static final long ONEDNN_FROM = 1L << 20;

  /** Whether the backend is ND4J's CPU backend, whose OpenBLAS these bindings reach. */
  static final boolean CPU = Nd4j.getBackend().getClass().getName().contains(".cpu.");

  static {
    NativeThreads.configure();
  }

  /** Float32 products from this many multiply-adds on go through libnd4j, per {@code directBlas}. */
  static long floatViaNd4jFrom(RuntimeOptions.Switch directBlas) {
    switch (directBlas) {
      case ON:
        return CPU ? Long.MAX_VALUE : 0;
      case OFF:
        return 0;
      default:
        return CPU ? (FusedLstm.oneDnn() ? ONEDNN_FROM : Long.MAX_VALUE) : 0;
    }
  }

  /**
   * Whether a product of {@code multiplyAdds} (rows × out × in) in {@code dataType} goes to libnd4j's
   * {@code matmul} under the current options, rather than straight to OpenBLAS.
   */
  static boolean viaLibnd4j(long multiplyAdds, DataType dataType) {
    RuntimeOptions.Switch path = RuntimeOptions.current().directBlas();
    return dataType == DataType.FLOAT ? multiplyAdds >= floatViaNd4jFrom(path) : !doubleDirect(path);
  }

  /** Whether float64 products go straight to OpenBLAS, per {@code directBlas}. */
  static boolean doubleDirect(RuntimeOptions.Switch directBlas) {
    return CPU && directBlas != RuntimeOptions.Switch.OFF;
  }

  private Blas() {}

  /** {@code c = alpha · op(a) · op(b) + beta · c}, op = transpose when {@code ta} / {@code tb}. */
  static void gemm(INDArray a, boolean ta, INDArray b, boolean tb, INDArray c, double alpha, double beta) {
    long multiplyAdds = c.length() * (ta ? a.size(0) : a.size(a.rank() - 1));
    gemm(a, ta, b, tb, c, alpha, beta, !viaLibnd4j(multiplyAdds, c.dataType()));
  }

  /** {@link #gemm(INDArray, boolean, INDArray, boolean, INDArray, double, double)} on a chosen path. */
  static void gemm(INDArray a, boolean ta, INDArray b, boolean tb, INDArray c, double alpha, double beta,
      boolean straightToOpenBlas) {
    if (a.rank() == 2 && b.rank() == 2 && c.rank() == 2 && ((ta ? a.size(1) : a.size(0)) != c.size(0)
        || (ta ? a.size(0) : a.size(1)) != (tb ? b.size(1) : b.size(0)) || (tb ? b.size(0) : b.size(1)) != c.size(1))) {
      throw new IllegalArgumentException("matrix product " + Arrays.toString(a.shape()) + (ta ? "ᵀ" : "") + " · "
          + Arrays.toString(b.shape()) + (tb ? "ᵀ" : "") + " does not fit the output " + Arrays.toString(c.shape()));
    }
    if (c.length() == 0) {
      return;
    }
    if (!straightToOpenBlas || !direct(a) || !direct(b) || !direct(c)
        || a.dataType() != c.dataType() || b.dataType() != c.dataType()) {
      if (Matmul.covers(a, b, c, alpha, beta)) {
        Matmul.gemm(a, ta, b, tb, c, beta);
      } else {
        Nd4j.gemm(a, b, c, ta, tb, alpha, beta);
      }
      return;
    }
    int m = (int) c.size(0);
    int n = (int) c.size(1);
    int k = (int) (ta ? a.size(0) : a.size(1));
    Block.Context context = Block.Context.CURRENT.get();
    int transA = ta ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    int transB = tb ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    boolean floats = c.dataType() == DataType.FLOAT;
    java.nio.Buffer na = at(context, a, floats, null, null);
    java.nio.Buffer nb = at(context, b, floats, na, null);
    java.nio.Buffer nc = at(context, c, floats, na, nb);
    if (floats) {
      FloatBuffer pa = (FloatBuffer) na;
      FloatBuffer pb = (FloatBuffer) nb;
      FloatBuffer pc = (FloatBuffer) nc;
      openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, transA, transB, m, n, k, (float) alpha,
          pa, ld(a), pb, ld(b), (float) beta, pc, ld(c));
    } else {
      DoubleBuffer pa = (DoubleBuffer) na;
      DoubleBuffer pb = (DoubleBuffer) nb;
      DoubleBuffer pc = (DoubleBuffer) nc;
      openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, transA, transB, m, n, k, alpha,
          pa, ld(a), pb, ld(b), beta, pc, ld(c));
    }
  }

  /**
   * {@code y += alpha · x} over two arrays of the same length, in place: one {@code cblas_?axpy} call
   * when both are contiguous and of the same data type (an optimizer's update of a parameter, no
   * temporary), else ND4J's {@code y.addi(x.mul(alpha))}.
   */
  static void axpy(INDArray y, double alpha, INDArray x) {
    if (y.length() != x.length()) {
      throw new IllegalArgumentException("y += α·x needs arrays of one length, got y " + Arrays.toString(y.shape())
          + " and x " + Arrays.toString(x.shape()));
    }
    if (!CPU || y.dataType() != x.dataType() || !contiguous(y) || !contiguous(x)
        || (y.dataType() != DataType.FLOAT && y.dataType() != DataType.DOUBLE)) {
      y.addi(x.mul(alpha).reshape(y.shape()));
      return;
    }
    Block.Context context = Block.Context.CURRENT.get();
    boolean floats = y.dataType() == DataType.FLOAT;
    java.nio.Buffer ny = at(context, y, floats, null, null);
    java.nio.Buffer nx = at(context, x, floats, ny, null);
    int n = (int) y.length();
    if (floats) {
      openblas_nolapack.cblas_saxpy(n, (float) alpha, (FloatBuffer) nx, 1, (FloatBuffer) ny, 1);
    } else {
      openblas_nolapack.cblas_daxpy(n, alpha, (DoubleBuffer) nx, 1, (DoubleBuffer) ny, 1);
    }
  }

  /** Whether {@code x}'s elements lie one after another in row-major order. */
  private static boolean contiguous(INDArray x) {
    return x.length() <= 1 || x.ordering() == 'c' && x.elementWiseStride() == 1;
  }

  /** Whether {@code x} is a FLOAT or DOUBLE row-major matrix with unit column stride. */
  private static boolean direct(INDArray x) {
    if (x.rank() != 2 || (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE)) {
      return false;
    }
    return (x.size(1) <= 1 || x.stride(1) == 1) && (x.size(0) <= 1 || x.stride(0) >= x.size(1));
  }

  /** The leading dimension of a row-major matrix: its row stride (at least its width, as BLAS asks). */
  private static int ld(INDArray x) {
    return (int) Math.max(Math.max(x.size(0) > 1 ? x.stride(0) : x.size(1), x.size(1)), 1);
  }

  /**
   * The (cached) NIO view of {@code x}'s buffer, positioned at its first element: JavaCPP passes a
   * direct buffer's address plus its position. Block reads and writes use absolute indices, so
   * moving the position disturbs nothing else. An operand in the same allocation as one positioned
   * before it in this call ({@code first}, {@code second}) gets a view of its own.
   */
  private static java.nio.Buffer at(Block.Context context, INDArray x, boolean floats, java.nio.Buffer first,
      java.nio.Buffer second) {
    java.nio.Buffer nio = context.nio(x.data(), floats);
    if (nio == first || nio == second) {
      nio = nio.duplicate();
    }
    return nio.position((int) x.offset());
  }
}
