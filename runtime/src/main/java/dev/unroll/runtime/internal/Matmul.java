package dev.unroll.runtime.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.nd4j.nativeblas.OpaqueContext;
import org.nd4j.nativeblas.OpaqueDataBuffer;

/**
 * libnd4j's {@code matmul} op (which the oneDNN jar runs on oneDNN) called the way {@code Nd4j.gemm}
 * calls it, minus the per-call op building: each thread keeps one native op context per form
 * ({@code aᵀ} or not, {@code bᵀ} or not, {@code c} overwritten or added to), whose integer and float
 * arguments are set once; a call only points the context at its three arrays and runs the op. That
 * takes 15–20 µs less than {@code Nd4j.gemm} per call and allocates nothing on the heap (measured with
 * a scratch program: 4.3 KB per {@code Nd4j.gemm} call, 1.1 KB with ND4J's reusable {@code OpContext},
 * none here), so a step loop whose products take this path stays allocation-free.
 *
 * <p>Arrays are passed as ND4J's own op context passes them: the array's data buffer (a view's buffer
 * carries its offset) and the native address of its shape descriptor. libnd4j checks the shapes and
 * the output as it does for {@code Nd4j.gemm}; a failure names the op's message. Only the CPU backend,
 * rank-2 operands of one data type, {@code alpha = 1}, {@code beta} 0 or 1 and a contiguous output
 * come here (see {@link #covers}).
 */
final class Matmul {
  private static final ThreadLocal<Matmul> CURRENT = ThreadLocal.withInitial(Matmul::new);

  /**
   * The CPU backend's buffer class, or null on another backend. Looked up by name so that the runtime
   * compiles against any ND4J backend (the CUDA profile has no CPU classes); its buffers are the only
   * ones this class passes to libnd4j.
   */
  private static final Class<?> CPU_BUFFER = cpuBufferClass();

  /** {@code ((BaseCpuDataBuffer) buffer).getOpaqueDataBuffer()} as {@code (DataBuffer) -> OpaqueDataBuffer}. */
  private static final MethodHandle OPAQUE_BUFFER = opaqueBufferGetter(CPU_BUFFER);

  private final NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
  private final OpContext[] contexts = new OpContext[8];
  private long opHash;

  private Matmul() {}

  /** Whether {@link #gemm} takes these operands (else {@code Nd4j.gemm}). */
  static boolean covers(INDArray a, INDArray b, INDArray c, double alpha, double beta) {
    return alpha == 1 && (beta == 0 || beta == 1) && a.rank() == 2 && b.rank() == 2 && c.rank() == 2
        && CPU_BUFFER != null && CPU_BUFFER.isInstance(a.data()) && CPU_BUFFER.isInstance(b.data())
        && CPU_BUFFER.isInstance(c.data()) && a.dataType() == c.dataType() && b.dataType() == c.dataType()
        && c.ordering() == 'c' && c.elementWiseStride() == 1;
  }

  /** {@code c = op(a) · op(b) + beta · c}, {@code beta} 0 or 1. */
  static void gemm(INDArray a, boolean ta, INDArray b, boolean tb, INDArray c, double beta) {
    CURRENT.get().run(a, ta, b, tb, c, beta);
  }

  private void run(INDArray a, boolean ta, INDArray b, boolean tb, INDArray c, double beta) {
    OpaqueContext context = (OpaqueContext) context(a, ta, b, tb, c, beta).contextPointer();
    ops.setGraphContextInputBuffer(context, 0, buffer(a), shape(a), null);
    ops.setGraphContextInputBuffer(context, 1, buffer(b), shape(b), null);
    ops.setGraphContextOutputBuffer(context, 0, buffer(c), shape(c), null);
    int status;
    try {
      status = ops.execCustomOp2(null, opHash, context);
    } finally {
      // each set…Buffer call wraps its array in a native NDArray the context keeps until purged (the
      // integer and float arguments stay): without this, ~380 bytes of native memory per call leaked
      ops.ctxPurge(context);
    }
    if (status != 0) {
      throw new IllegalStateException("libnd4j's matmul failed (status " + status + "): " + ops.lastErrorMessage());
    }
  }

  private OpContext context(INDArray a, boolean ta, INDArray b, boolean tb, INDArray c, double beta) {
    int k = (ta ? 4 : 0) + (tb ? 2 : 0) + (beta == 0 ? 0 : 1);
    OpContext context = contexts[k];
    if (context == null) {
      // the arguments Nd4j.gemm's op carries for this form (transpose flags as integers, alpha and beta
      // as floats), taken from the op itself once
      Mmul op = new Mmul(a, b, c, 1.0, beta, MMulTranspose.builder().transposeA(ta).transposeB(tb).build());
      context = Nd4j.getExecutioner().buildContext();
      context.setIArguments(op.iArgs());
      context.setTArguments(op.tArgs());
      opHash = op.opHash();
      contexts[k] = context;
    }
    return context;
  }

  private static OpaqueDataBuffer buffer(INDArray x) {
    try {
      return (OpaqueDataBuffer) OPAQUE_BUFFER.invokeExact(x.data());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> cpuBufferClass() {
    try {
      return Class.forName("org.nd4j.linalg.cpu.nativecpu.buffer.BaseCpuDataBuffer", false,
          Matmul.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static MethodHandle opaqueBufferGetter(Class<?> bufferClass) {
    if (bufferClass == null) {
      return null;
    }
    try {
      return MethodHandles.publicLookup()
          .findVirtual(bufferClass, "getOpaqueDataBuffer", MethodType.methodType(OpaqueDataBuffer.class))
          .asType(MethodType.methodType(OpaqueDataBuffer.class, DataBuffer.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The native address of {@code x}'s shape descriptor: the descriptor buffer's own pointer, which
   * ND4J keeps (its {@code addressPointer()} wraps the address in three new objects per call). Every
   * view has a descriptor of its own, so caching addresses per descriptor would miss on every step.
   */
  private static Pointer shape(INDArray x) {
    DataBuffer descriptor = x.shapeInfoDataBuffer();
    DataBuffer root = descriptor.underlyingDataBuffer();
    return root == null || root == descriptor ? descriptor.pointer() : descriptor.addressPointer();
  }
}
