package dev.unroll.testing;

import static dev.unroll.testing.Models.distance;
import static dev.unroll.testing.Models.flat;
import static dev.unroll.testing.Models.norm;
import static dev.unroll.testing.Models.subscripts;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.Npz;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.UnrolledModel;
import dev.unroll.runtime.generation.OneToManyModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Asserts that a generated model computes what a PyTorch module computed, from a NumPy {@code .npz}
 * that a few lines of PyTorch write (see the module's README): the module's {@code state_dict}, the
 * inputs, the {@code logits}, the {@code loss} and {@code grad.<name>} for every parameter.
 *
 * <pre>{@code
 * PyTorchParity.of(new UnrolledTagger(0, DataType.FLOAT), Path.of("tagger.npz")).assertPasses();
 * }</pre>
 *
 * <p>The file's weights are imported into the model (strictly, as {@link UnrolledModel#importWeights}
 * does), then the model's logits, loss and every gradient must match the file's to a relative error
 * ‖ours − PyTorch‖ / ‖PyTorch‖ per array under the tolerance of the model's data type (default
 * {@value #FLOAT_TOLERANCE} for float32, {@value #DOUBLE_TOLERANCE} for float64, as for unroll's own
 * reference cases written in float64).
 *
 * <p>Input keys by model kind (PyTorch's names): a {@link RecurrentModel} reads {@code x},
 * {@code y} and, if present, {@code mask}; a {@link OneToManyModel} {@code condition},
 * {@code tgt_in}, {@code y}; a {@link dev.unroll.runtime.generation.Seq2SeqModel} {@code src}, {@code src_mask}
 * (if present), {@code tgt_in}, {@code y}. Real-valued inputs are converted to the model's data type.
 */
public final class PyTorchParity {

  /** The default relative tolerance of a float32 model. */
  public static final double FLOAT_TOLERANCE = 1e-4;
  /** The default relative tolerance of a float64 model. */
  public static final double DOUBLE_TOLERANCE = 1e-9;

  /**
   * One array compared.
   *
   * @param array         {@code logits}, {@code loss} or {@code grad.<name>}
   * @param relativeError ‖ours − PyTorch‖ / ‖PyTorch‖ (the absolute error where PyTorch's is all zeros)
   * @param tolerance     the tolerance it was held to
   * @param worst         the entry with the largest difference: its subscripts and both values
   */
  public record Comparison(String array, double relativeError, double tolerance, String worst) {

    /** Whether the array matched. */
    public boolean passed() {
      return relativeError < tolerance;
    }
  }

  /**
   * The outcome of a comparison.
   *
   * @param model       the model's class name
   * @param dataType    the model's data type
   * @param file        the reference file's name
   * @param comparisons every array compared
   * @param problems    mismatches that are not a number (shapes, missing gradients), one line each
   */
  public record Result(String model, DataType dataType, String file, List<Comparison> comparisons,
      List<String> problems) {

    /** Whether everything matched. */
    public boolean passed() {
      return problems.isEmpty() && comparisons.stream().allMatch(Comparison::passed);
    }

    /** The comparison of one array ({@code logits}, {@code loss}, {@code grad.<name>}). */
    public Comparison comparison(String array) {
      return comparisons.stream().filter(c -> c.array().equals(array)).findFirst().orElseThrow(
          () -> new IllegalArgumentException("no array '" + array + "' was compared; compared were "
              + comparisons.stream().map(Comparison::array).toList()));
    }

    /** A readable account: every mismatch with its error, tolerance and worst entry. */
    public String report() {
      StringBuilder sb = new StringBuilder("PyTorchParity of ").append(model).append(" (").append(dataType)
          .append(") against ").append(file).append(": ");
      if (passed()) {
        double worst = comparisons.stream().mapToDouble(Comparison::relativeError).max().orElse(0);
        return sb.append("passed, ").append(comparisons.size()).append(" arrays, largest relative error ")
            .append(worst).toString();
      }
      sb.append("FAILED");
      for (String p : problems) {
        sb.append("\n  ").append(p);
      }
      for (Comparison c : comparisons) {
        if (!c.passed()) {
          sb.append("\n  ").append(c.array()).append(": relative error ").append(c.relativeError())
              .append(" (tolerance ").append(c.tolerance()).append("); worst entry ").append(c.worst());
        }
      }
      return sb.toString();
    }
  }

  private final UnrolledModel model;
  private final Path npz;
  private final Map<DataType, Double> tolerances = new EnumMap<>(DataType.class);

  private PyTorchParity(UnrolledModel model, Path npz) {
    this.model = model;
    this.npz = npz;
    tolerances.put(DataType.FLOAT, FLOAT_TOLERANCE);
    tolerances.put(DataType.DOUBLE, DOUBLE_TOLERANCE);
  }

  /** A comparison of {@code model} (a class generated by unroll) with the reference file {@code npz}. */
  public static PyTorchParity of(UnrolledModel model, Path npz) {
    return new PyTorchParity(Models.requireKnownKind(Objects.requireNonNull(model, "model")),
        Objects.requireNonNull(npz, "npz"));
  }

  /** The relative tolerance for models of {@code dataType} (FLOAT or DOUBLE). */
  public PyTorchParity tolerance(DataType dataType, double tolerance) {
    if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
      throw new IllegalArgumentException("generated models are FLOAT or DOUBLE, not " + dataType);
    }
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
    }
    tolerances.put(dataType, tolerance);
    return this;
  }

  /** Runs the comparison and throws an {@link AssertionError} with {@link Result#report()} if it fails. */
  public Result assertPasses() throws IOException {
    Result r = run();
    if (!r.passed()) {
      throw new AssertionError(r.report());
    }
    return r;
  }

  /**
   * Imports the file's weights into the model and compares; returns the outcome, passed or not.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the file lacks keys the comparison needs (all are listed), or
   *     its weights do not fit the model
   */
  public Result run() throws IOException {
    Map<String, INDArray> ref = Npz.read(npz);
    DataType type = model.dataType();
    double tol = tolerances.get(type);
    String file = npz.getFileName().toString();

    List<String> need = new ArrayList<>(inputKeys());
    // a model trained by mean squared error outputs predictions, not logits (either key is read)
    String output = model.config().regression() && !ref.containsKey("logits") ? "predictions" : "logits";
    need.add(output);
    need.add("loss");
    for (String p : model.parameters().keySet()) {
      need.add("grad." + p);
    }
    List<String> missing = need.stream().filter(k -> !ref.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(file + " lacks " + missing + ", which the comparison of a "
          + model.getClass().getSimpleName() + " needs: write them with numpy.savez next to the state_dict"
          + " (the testing module's README shows the PyTorch lines)");
    }
    Npz.importInto(model.parameters(), ref, file);
    Batch batch = batch(ref).withInputType(type);

    List<Comparison> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    compare(output, batch.forward(model), ref.get(output), tol, out, problems);
    Gradients g = batch.gradients(model);
    double refLoss = ref.get("loss").getDouble(0);
    double lossErr = refLoss == 0 ? Math.abs(g.loss()) : Math.abs(g.loss() - refLoss) / Math.abs(refLoss);
    out.add(new Comparison("loss", lossErr, tol, "ours " + g.loss() + ", PyTorch " + refLoss));
    for (String p : model.parameters().keySet()) {
      compare("grad." + p, g.get(p), ref.get("grad." + p), tol, out, problems);
    }
    return new Result(model.getClass().getSimpleName(), type, file, Collections.unmodifiableList(out),
        Collections.unmodifiableList(problems));
  }

  private List<String> inputKeys() {
    if (model instanceof RecurrentModel) {
      return List.of("x", "y");
    }
    if (model instanceof OneToManyModel<?>) {
      return List.of("condition", "tgt_in", "y");
    }
    return List.of("src", "tgt_in", "y");
  }

  private Batch batch(Map<String, INDArray> ref) {
    if (model instanceof RecurrentModel) {
      return new Batch.Sequences(ref.get("x"), ref.get("y"), ref.get("mask"));
    }
    if (model instanceof OneToManyModel<?>) {
      return new Batch.Conditioned(ref.get("condition"), ref.get("tgt_in"), ref.get("y"));
    }
    return new Batch.Translation(ref.get("src"), ref.get("src_mask"), ref.get("tgt_in"), ref.get("y"));
  }

  private static void compare(String name, INDArray ours, INDArray theirs, double tol, List<Comparison> out,
      List<String> problems) {
    if (!Arrays.equals(ours.shape(), theirs.shape())) {
      problems.add(name + ": shape " + Arrays.toString(ours.shape()) + " here, " + Arrays.toString(theirs.shape())
          + " in the file");
      return;
    }
    double[] a = flat(ours);
    double[] b = flat(theirs);
    double n = norm(b);
    double d = distance(a, b);
    int worst = 0;
    for (int i = 1; i < a.length && !Double.isNaN(a[worst] - b[worst]); i++) {
      double di = Math.abs(a[i] - b[i]);
      if (Double.isNaN(di) || di > Math.abs(a[worst] - b[worst])) { // NaN is the worst difference
        worst = i;
      }
    }
    String at = Arrays.toString(subscripts(theirs.shape(), worst));
    double err = n == 0 ? d : d / n;
    out.add(new Comparison(name, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err, tol,
        at + ": ours " + a[worst] + ", PyTorch " + b[worst]));
  }
}
