package dev.unroll.runtime;

import dev.unroll.runtime.internal.Views;
import dev.unroll.runtime.internal.io.AtomicFile;
import dev.unroll.runtime.internal.io.NpzReader;
import dev.unroll.runtime.internal.io.NpzWriter;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads and writes NumPy {@code .npz} archives: a zip file with one {@code .npy} array per entry, as
 * written by {@code numpy.savez} and {@code numpy.savez_compressed} and read by {@code numpy.load}.
 *
 * <p>The {@code .npy} format is parsed here rather than by ND4J, because ND4J cannot read
 * 0-dimensional arrays (which PyTorch's scalar buffers and losses become). Supported element types
 * are {@code float16/32/64}, {@code int8/16/32/64}, {@code uint8/16/32/64} and {@code bool}, in
 * either byte order and either C or Fortran layout; {@code .npy} format versions 1.0, 2.0 and 3.0
 * are accepted. Arrays are always returned in C order.
 *
 * <p>Files are untrusted input: every size, offset and shape is checked against the bytes actually
 * there before anything is allocated, so a damaged or hostile file ends in an {@link IOException}
 * whose message names the file and, where it concerns one array, the entry. To read only the arrays a
 * model needs, use {@link Weights#importFile} (or a model's {@code importWeights}).
 */
public final class Npz {

  private Npz() {}

  /**
   * Reads every array of a NumPy {@code .npz} archive (entries stored or deflated).
   *
   * @param path the archive
   * @return the arrays in archive order, keyed by entry name without the {@code .npy} suffix; a
   *     0-dimensional entry becomes a rank-0 scalar array; {@code bool} becomes {@link DataType#BOOL}
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException if the file cannot be read, is not a zip archive, is truncated, or holds an
   *     entry that is not a supported {@code .npy} array or is shorter than its shape needs; the
   *     message names the file and the entry
   */
  public static Map<String, INDArray> read(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    try (NpzReader reader = NpzReader.open(path)) {
      return reader.readAll();
    }
  }

  /**
   * Writes arrays to a NumPy {@code .npz} archive that {@code numpy.load} reads: one stored (not
   * compressed) entry {@code <key>.npy} per array, in map order, each in {@code .npy} format 1.0,
   * C order, little-endian. Views and non-contiguous arrays are written with their logical values.
   *
   * <p>The archive is first written to a temporary file in the target's directory, forced to disk and
   * renamed over the target, so that a crash leaves the old file or the new one, never a half-written
   * one; a temporary file left by a killed write is deleted by the next write of the same target.
   *
   * <p>Element types: {@code FLOAT} ({@code <f4}), {@code DOUBLE} ({@code <f8}), {@code HALF}
   * ({@code <f2}), {@code LONG} ({@code <i8}), {@code INT} ({@code <i4}), {@code SHORT}
   * ({@code <i2}), {@code BYTE} ({@code |i1}), {@code UBYTE} ({@code |u1}), {@code UINT16},
   * {@code UINT32}, {@code UINT64} and {@code BOOL} ({@code |b1}).
   *
   * @param path the archive to create or replace
   * @param arrays the arrays by key
   * @throws IllegalArgumentException if a key or array is null, or an array's type has no NumPy
   *     equivalent here (checked before anything is written)
   * @throws IOException if the file cannot be written; the target is then left as it was
   */
  public static void write(Path path, Map<String, INDArray> arrays) throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(arrays, "arrays");
    NpzWriter.check(arrays, path);
    AtomicFile.write(path, out -> NpzWriter.write(arrays, out));
  }
}
