/**
 * Internal: the file formats behind {@link dev.unroll.runtime.Npz} and the training module's
 * checkpoints. Not API: the public types here exist only so that those
 * classes, in other packages and modules, can share them; they may change in any release.
 *
 * <p>The layers, bottom up: {@link dev.unroll.runtime.internal.io.ZipArchive} reads a zip archive (or a
 * stored archive nested in one) within the bounds of its file, and {@link
 * dev.unroll.runtime.internal.io.StoredZipWriter} writes one; {@code NpyHeader} parses a {@code .npy}
 * header with {@code PyLiteral}, the parser of its Python literal; {@code Dtype} is the table of
 * element types; {@link dev.unroll.runtime.internal.io.NpzReader} and {@link
 * dev.unroll.runtime.internal.io.NpzWriter} read and write {@code .npz} archives on top of them;
 * {@link dev.unroll.runtime.internal.io.ParameterImport} imports only what a model needs; {@link
 * dev.unroll.runtime.internal.io.AtomicFile} replaces a file so that a crash leaves the old or the new
 * one.
 *
 * <p>Everything read here is untrusted: sizes, offsets, counts and shapes are checked against the
 * file's actual size before anything is allocated, and every problem is an {@link java.io.IOException}
 * naming the file and, where it concerns one, the entry.
 */
package dev.unroll.runtime.internal.io;
