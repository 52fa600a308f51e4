package dev.unroll.runtime.internal.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Strict import of named arrays into a model's live parameters, from arrays in memory or from an
 * {@code .npz} archive, of which it reads only what the parameters need: the headers of the entries
 * that are parameters or lie under a parameter's module prefix, then the data of the parameters alone.
 * Memory is thus bounded by the model, whatever else the file holds. The rules are those of {@link
 * dev.unroll.runtime.Npz}, which documents them. Internal; see the package description.
 */
public final class ParameterImport {

  /** The shape and type of one array of the source, read without its data. */
  @FunctionalInterface
  private interface Describer<X extends Exception> {
    /** The array's shape and ND4J type; null for a key without an array. */
    Described describe(String key) throws X;
  }

  private record Described(long[] shape, DataType dataType) {}

  private ParameterImport() {}

  /** Imports arrays held in memory. */
  public static void importInto(
      Map<String, INDArray> parameters, Map<String, INDArray> file, String source) {
    check(
        parameters,
        file.keySet(),
        key -> {
          INDArray v = file.get(key);
          return v == null ? null : new Described(v.shape(), v.dataType());
        },
        source);
    assign(parameters, file);
  }

  /**
   * Imports from an archive, reading the data of the parameters' entries only.
   *
   * @throws IOException if an entry that is needed (a parameter's, or one under a module prefix, for
   *     its shape) is corrupt
   * @throws IllegalArgumentException if the file does not fit the parameters
   */
  public static void importInto(Map<String, INDArray> parameters, NpzReader file, String source)
      throws IOException {
    check(
        parameters,
        file.keys(),
        key -> {
          NpzReader.ArrayInfo info = file.info(key);
          return new Described(info.shape(), info.dataType());
        },
        source);
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (String name : parameters.keySet()) {
      values.put(name, file.read(name));
    }
    assign(parameters, values);
  }

  /** Reports every problem at once (nothing changed) or returns. */
  private static <X extends Exception> void check(
      Map<String, INDArray> parameters, Collection<String> keys, Describer<X> describer,
      String source) throws X {
    Set<String> prefixes = new LinkedHashSet<>();
    for (String name : parameters.keySet()) {
      prefixes.add(prefix(name));
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, INDArray> p : parameters.entrySet()) {
      String name = p.getKey();
      Described value = keys.contains(name) ? describer.describe(name) : null;
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
    for (String key : keys) {
      if (key == null || parameters.containsKey(key)) {
        continue;
      }
      int dot = key.indexOf('.');
      if (dot >= 0 && prefixes.contains(key.substring(0, dot))) {
        Described value = describer.describe(key);
        String shape = value == null ? "" : " " + Arrays.toString(value.shape());
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
  }

  private static void assign(Map<String, INDArray> parameters, Map<String, INDArray> values) {
    for (Map.Entry<String, INDArray> p : parameters.entrySet()) {
      INDArray param = p.getValue();
      INDArray value = values.get(p.getKey());
      param.assign(value.dataType() == param.dataType() ? value : value.castTo(param.dataType()));
    }
  }

  private static String prefix(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
