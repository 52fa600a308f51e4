/**
 * unroll's runtime API: what an application sees of a generated model.
 *
 * <ul>
 *   <li>The models: {@link dev.unroll.runtime.UnrolledModel} (every generated class), {@link
 *       dev.unroll.runtime.RecurrentModel} (many-to-one and many-to-many) and {@link
 *       dev.unroll.runtime.StatefulModel} (state carried across calls). The sequence generators
 *       (one-to-many, encoder-decoder) and their decoding loops are in {@link
 *       dev.unroll.runtime.generation}.
 *   <li>What they take and give: {@link dev.unroll.runtime.RecurrentState}, {@link
 *       dev.unroll.runtime.Gradients}, {@link dev.unroll.runtime.ModelConfig} (with its {@link
 *       dev.unroll.runtime.ModelConfig.CellType}, {@link dev.unroll.runtime.ModelConfig.Topology} and
 *       {@link dev.unroll.runtime.ModelConfig.LossType}) and {@link dev.unroll.runtime.Cost}.
 *   <li>Weight files: {@link dev.unroll.runtime.Npz} reads and writes NumPy {@code .npz} archives and
 *       imports them, strictly, into a model's parameters.
 *   <li>Set-up: {@link dev.unroll.runtime.RuntimeOptions} (the {@code -Dunroll.*} switches and the
 *       JVM-wide thread settings).
 * </ul>
 *
 * <p>The kernels generated code calls, and the set-up plumbing that matches ND4J's native build to the
 * CPU, are in {@code dev.unroll.runtime.internal}, which is not an API.
 */
package dev.unroll.runtime;
