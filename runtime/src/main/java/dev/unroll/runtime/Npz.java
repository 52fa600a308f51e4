package dev.unroll.runtime;

import dev.unroll.runtime.internal.Views;
import dev.unroll.runtime.internal.io.AtomicFile;
import dev.unroll.runtime.internal.io.NpzReader;
import dev.unroll.runtime.internal.io.NpzWriter;
import dev.unroll.runtime.internal.io.ParameterImport;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy {@code .npz} weight files: reads and writes the archives, and imports their arrays into a
 * model's parameters. An archive is a zip file with one {@code .npy} array per entry, as written by
 * {@code numpy.savez} and {@code numpy.savez_compressed} and read by {@code numpy.load}.
 *
 * <p>The {@code .npy} format is parsed here rather than by ND4J, because ND4J cannot read
 * 0-dimensional arrays (which PyTorch's scalar buffers and losses become). Supported element types
 * are {@code float16/32/64}, {@code int8/16/32/64}, {@code uint8/16/32/64} and {@code bool}, in
 * either byte order and either C or Fortran layout; {@code .npy} format versions 1.0, 2.0 and 3.0
 * are accepted. Arrays are always returned in C order.
 *
 * <p>Files are untrusted input: every size, offset and shape is checked against the bytes actually
 * there before anything is allocated, so a damaged or hostile file ends in an {@link IOException}
 * whose message names the file and, where it concerns one array, the entry.
 *
 * <p>Weights are imported strictly into a model's live parameters ({@link #importInto}, {@link
 * #importFile}). A parameter name's <em>module prefix</em> is the text before its first {@code '.'}
 * ({@code rnn} for {@code rnn.weight_ih_l0}, {@code fc} for {@code fc.bias}). Keys of the file under one
 * of the model's module prefixes must match the parameters exactly, in names and shapes; every other key
 * ({@code x}, {@code loss}, {@code grad.fc.weight}, ...) is ignored, so that a file holding a PyTorch
 * {@code state_dict} next to inputs, outputs and gradients can be imported as it is. To read only the
 * arrays a model needs, use {@link #importFile} (or a model's {@code importWeights}).
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

  /**
   * Assigns every parameter the value of the file's array of the same name, converted to the
   * parameter's data type, in place: views of and references to the parameter arrays see the new
   * values.
   *
   * <p>Nothing changes unless everything fits: all problems (missing parameters, unexpected keys
   * under the model's module prefixes, shape mismatches) are collected and reported together.
   *
   * @param parameters the model's live parameters by name
   * @param file the arrays to import by name
   * @param source where the arrays come from (a file name), for the error message
   * @throws IllegalArgumentException naming {@code source} and listing every problem, one per line
   */
  public static void importInto(
      Map<String, INDArray> parameters, Map<String, INDArray> file, String source) {
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(file, "file");
    ParameterImport.importInto(parameters, file, source);
  }

  /**
   * As {@link #importInto(Map, Map, String)}, from a NumPy {@code .npz} file, reading only what the
   * parameters need: the {@code .npy} headers of the parameters' entries and of the other entries under
   * the parameters' module prefixes (for the "unexpected" report), then the data of the parameters'
   * entries, each checked against its declared shape, type and size before anything is allocated. Any
   * other entry is never read, so memory is bounded by the model whatever else the file holds.
   *
   * @param parameters the model's live parameters by name
   * @param npz the file; messages name it as given
   * @throws java.nio.file.NoSuchFileException if the file does not exist
   * @throws IOException if the file is not an npz archive, or an entry that is read is truncated or
   *     corrupt (naming the entry)
   * @throws IllegalArgumentException naming the file and listing every problem, one per line
   */
  public static void importFile(Map<String, INDArray> parameters, Path npz) throws IOException {
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(npz, "npz");
    try (NpzReader reader = NpzReader.open(npz)) {
      ParameterImport.importInto(parameters, reader, npz.toString());
    }
  }
}
