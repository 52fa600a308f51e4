package dev.unroll.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
    Set<String> prefixes = new LinkedHashSet<>();
    for (String name : parameters.keySet()) {
      prefixes.add(prefix(name));
    }

    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, INDArray> p : parameters.entrySet()) {
      String name = p.getKey();
      INDArray value = file.get(name);
      long[] expected = p.getValue().shape();
      if (value == null) {
        problems.add(
            "missing: " + name + " " + Arrays.toString(expected) + " is not in the file");
      } else if (!Arrays.equals(expected, value.shape())) {
        problems.add(
            "wrong shape: " + name + " is " + Arrays.toString(expected) + " in the model but "
                + Arrays.toString(value.shape()) + " in the file");
      } else if (!value.dataType().isNumerical()) {
        problems.add(
            "wrong type: " + name + " is " + value.dataType() + " in the file, not a number type");
      }
    }
    for (Map.Entry<String, INDArray> f : file.entrySet()) {
      String key = f.getKey();
      if (key == null || parameters.containsKey(key)) {
        continue;
      }
      int dot = key.indexOf('.');
      if (dot >= 0 && prefixes.contains(key.substring(0, dot))) {
        String shape = f.getValue() == null ? "" : " " + Arrays.toString(f.getValue().shape());
        problems.add(
            "unexpected: " + key + shape + " is under module '" + key.substring(0, dot)
                + "' but the model has no such parameter");
      }
    }

    if (!problems.isEmpty()) {
      StringBuilder msg = new StringBuilder();
      msg.append(source)
          .append(" does not fit the model's parameters (")
          .append(problems.size())
          .append(problems.size() == 1 ? " problem" : " problems")
          .append("; nothing was imported):");
      for (String problem : problems) {
        msg.append("\n  ").append(problem);
      }
      throw new IllegalArgumentException(msg.toString());
    }

    for (Map.Entry<String, INDArray> p : parameters.entrySet()) {
      INDArray param = p.getValue();
      INDArray value = file.get(p.getKey());
      param.assign(value.dataType() == param.dataType() ? value : value.castTo(param.dataType()));
    }
  }

  private static String prefix(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
