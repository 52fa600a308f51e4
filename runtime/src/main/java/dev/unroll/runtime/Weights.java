package dev.unroll.runtime;

import dev.unroll.runtime.internal.io.NpzReader;
import dev.unroll.runtime.internal.io.ParameterImport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Strict import of named arrays (typically read by {@link Npz#read}) into a model's live parameters.
 *
 * <p>A parameter name's <em>module prefix</em> is the text before its first {@code '.'} ({@code rnn}
 * for {@code rnn.weight_ih_l0}, {@code fc} for {@code fc.bias}). Keys of the file under one of the
 * model's module prefixes must match the parameters exactly, in names and shapes; every other key
 * ({@code x}, {@code loss}, {@code grad.fc.weight}, ...) is ignored, so that a file holding a PyTorch
 * {@code state_dict} next to inputs, outputs and gradients can be imported as it is.
 */
public final class Weights {

  private Weights() {}

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
