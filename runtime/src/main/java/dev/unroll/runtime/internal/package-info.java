/**
 * Internal: the kernels generated models call. <b>Not an API</b>: these types are public only because
 * generated classes, in the user's packages, call them; they change with the processor that writes
 * those calls and may change in any release. Applications use {@link dev.unroll.runtime}.
 *
 * <p>What is here, by the generated code's needs: element-wise cell math ({@link
 * dev.unroll.runtime.internal.Activations}, {@link dev.unroll.runtime.internal.Ops}); views and time-major
 * buffers ({@link dev.unroll.runtime.internal.Views}, {@link dev.unroll.runtime.internal.RowBuffer},
 * {@link dev.unroll.runtime.internal.Sequences}); matrix products ({@link
 * dev.unroll.runtime.internal.RecurrentWeight} for the per-step recurrent product, {@code Blas}, {@code
 * Matmul} and {@code Block} beneath it, {@link dev.unroll.runtime.internal.FusedLstm} for libnd4j's fused
 * LSTM op); threads ({@link dev.unroll.runtime.internal.Directions} for the two directions of a
 * bidirectional layer, {@code NativeThreads} for ND4J's and OpenBLAS's pools); the losses ({@link
 * dev.unroll.runtime.internal.CrossEntropy}, {@link dev.unroll.runtime.internal.MeanSquaredError});
 * initialisation and dropout ({@link
 * dev.unroll.runtime.internal.Init}, {@link dev.unroll.runtime.internal.Dropout}); the checks of a
 * caller's arguments and of one pass at a time ({@link dev.unroll.runtime.internal.Inputs}, {@link
 * dev.unroll.runtime.internal.PassGuard}); and {@link dev.unroll.runtime.internal.LogitsReader} for
 * {@link dev.unroll.runtime.generation.Decoding}'s loops. File formats are in {@code internal.io}.
 *
 * <p>Also here, as set-up plumbing rather than API: {@link dev.unroll.runtime.internal.NativeCpuCheck},
 * which matches ND4J's native build to the CPU (the command-line tool's {@code main} calls it, and ND4J's
 * backend discovery instantiates its {@code StartupWarning}).
 *
 * <p>The switches these kernels read are {@link dev.unroll.runtime.RuntimeOptions}.
 */
package dev.unroll.runtime.internal;
