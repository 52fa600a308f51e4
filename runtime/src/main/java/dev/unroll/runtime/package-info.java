/**
 * unroll's runtime API: what an application sees of a generated model.
 *
 * <ul>
 *   <li>The models: {@link dev.unroll.runtime.UnrolledModel} (every generated class), {@link
 *       dev.unroll.runtime.RecurrentModel} (many-to-one and many-to-many), {@link
 *       dev.unroll.runtime.StatefulModel} (state carried across calls), and the sequence generators
 *       {@link dev.unroll.runtime.OneToManyModel} and {@link dev.unroll.runtime.Seq2SeqModel} ({@link
 *       dev.unroll.runtime.SequenceGenerator}).
 *   <li>What they take and give: {@link dev.unroll.runtime.RecurrentState}, {@link
 *       dev.unroll.runtime.Gradients}, {@link dev.unroll.runtime.ModelConfig} (with {@link
 *       dev.unroll.runtime.CellType} and {@link dev.unroll.runtime.Topology}) and {@link
 *       dev.unroll.runtime.Cost}.
 *   <li>Decoding: {@link dev.unroll.runtime.Decoding}'s greedy, sampling and beam-search loops over a
 *       {@link dev.unroll.runtime.DecoderSession}, with their results {@link dev.unroll.runtime.Decoded},
 *       {@link dev.unroll.runtime.Beams} and {@link dev.unroll.runtime.Hypothesis}.
 *   <li>Weights: {@link dev.unroll.runtime.Npz} and {@link dev.unroll.runtime.Weights}.
 *   <li>Set-up: {@link dev.unroll.runtime.RuntimeOptions} (the {@code -Dunroll.*} switches and the
 *       JVM-wide thread settings) and {@link dev.unroll.runtime.NativeCpuCheck}.
 * </ul>
 *
 * <p>The kernels generated code calls are in {@code dev.unroll.runtime.internal}, which is not an API.
 */
package dev.unroll.runtime;
