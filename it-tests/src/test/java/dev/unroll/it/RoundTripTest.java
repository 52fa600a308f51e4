package dev.unroll.it;

import static dev.unroll.it.TestArrays.identical;
import static dev.unroll.it.TestArrays.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Npz;
import dev.unroll.runtime.RecurrentModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Weight export and import through {@code .npz}: exact round trips, strict and atomic import. */
class RoundTripTest {

  @TempDir Path dir;

  /** A generated class's {@code (long seed, DataType)} constructor. */
  @FunctionalInterface
  interface Factory {
    RecurrentModel create(long seed, DataType dataType);
  }

  static Factory factory(String model) {
    return switch (model) {
      case "DeepTagger" -> UnrolledTestModels_DeepTagger::new;
      case "TokenClassifier" -> UnrolledTestModels_TokenClassifier::new;
      default -> throw new IllegalArgumentException(model);
    };
  }

  static Stream<Arguments> models() {
    List<Arguments> out = new ArrayList<>();
    for (String model : List.of("DeepTagger", "TokenClassifier")) {
      for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
        out.add(Arguments.of(model, dt));
      }
    }
    return out.stream();
  }

  /** An input batch [3, 5, ...] for the model: features in [-1, 1], or token ids. */
  static INDArray input(RecurrentModel model, long seed) {
    Random rnd = new Random(seed);
    if (model.config().embedded()) {
      long[][] ids = new long[3][5];
      for (long[] row : ids) {
        for (int t = 0; t < row.length; t++) {
          row[t] = rnd.nextInt(model.config().vocab());
        }
      }
      return Nd4j.createFromArray(ids);
    }
    double[][][] v = new double[3][5][model.config().features()];
    for (double[][] row : v) {
      for (double[] step : row) {
        for (int f = 0; f < step.length; f++) {
          step[f] = 2 * rnd.nextDouble() - 1;
        }
      }
    }
    return Nd4j.createFromArray(v).castTo(model.dataType());
  }

  static Map<String, INDArray> snapshot(RecurrentModel model) {
    Map<String, INDArray> copy = new LinkedHashMap<>();
    model.parameters().forEach((k, v) -> copy.put(k, v.dup()));
    return copy;
  }

  static void assertUnchanged(Map<String, INDArray> before, RecurrentModel model, String what) {
    assertEquals(before.keySet(), model.parameters().keySet(), what + ": parameter names");
    before.forEach(
        (k, v) -> assertTrue(identical(v, model.parameters().get(k)), what + ": parameter " + k + " changed"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("models")
  void exportThenImportReproducesTheModelExactly(String name, DataType dataType) throws IOException {
    RecurrentModel source = factory(name).create(1, dataType);
    RecurrentModel target = factory(name).create(2, dataType);
    assertEquals(dataType, source.dataType());
    INDArray x = input(source, 11);
    INDArray expected = source.forward(x);
    assertFalse(identical(expected, target.forward(x)), "models with seeds 1 and 2 should differ");

    Path file = dir.resolve(name + "-" + dataType + ".npz");
    source.exportWeights(file);
    assertTrue(Files.size(file) > 0, "exported file is empty");

    Map<String, INDArray> written = Npz.read(file);
    assertEquals(source.parameters().keySet(), written.keySet(), "keys of the exported file");
    source.parameters().forEach(
        (k, v) -> assertTrue(Arrays.equals(v.shape(), written.get(k).shape()), "shape of exported " + k));

    target.importWeights(file);
    source.parameters().forEach(
        (k, v) -> assertTrue(identical(v, target.parameters().get(k)), "imported " + k + " differs"));
    assertEquals(dataType, target.dataType());
    INDArray actual = target.forward(x);
    assertEquals(dataType, actual.dataType());
    assertTrue(identical(expected, actual), "forward after the round trip differs");
    assertTrue(identical(expected, source.forward(x)), "forward of the exporting model changed");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("models")
  void sameSeedSameModel(String name, DataType dataType) {
    RecurrentModel a = factory(name).create(5, dataType);
    RecurrentModel b = factory(name).create(5, dataType);
    assertUnchanged(snapshot(a), b, "two models with seed 5");
  }

  @Test
  void seedOnlyConstructorIsFloat32() {
    RecurrentModel m = new UnrolledTestModels_DeepTagger(3);
    assertEquals(DataType.FLOAT, m.dataType());
    m.parameters().forEach((k, v) -> assertEquals(DataType.FLOAT, v.dataType(), k));
    assertUnchanged(snapshot(m), new UnrolledTestModels_DeepTagger(3, DataType.FLOAT), "(3) vs (3, FLOAT)");
  }

  @Test
  void importConvertsToTheModelsDataType() throws IOException {
    RecurrentModel wide = new UnrolledTestModels_DeepTagger(1, DataType.DOUBLE);
    RecurrentModel narrow = new UnrolledTestModels_DeepTagger(2, DataType.FLOAT);
    Path file = dir.resolve("double.npz");
    wide.exportWeights(file);
    narrow.importWeights(file);
    assertEquals(DataType.FLOAT, narrow.dataType());
    wide.parameters().forEach((k, v) -> {
      INDArray p = narrow.parameters().get(k);
      assertEquals(DataType.FLOAT, p.dataType(), k);
      double err = relativeError(p, v);
      assertTrue(err < 1e-6, k + ": relative error " + err + " after float64 -> float32");
    });
  }

  /** A copy of the model's exported weights (from another seed) with one entry removed or replaced. */
  private Path altered(String name, DataType dataType, String key, INDArray replacement) throws IOException {
    RecurrentModel other = factory(name).create(9, dataType);
    Map<String, INDArray> entries = new LinkedHashMap<>(other.parameters());
    assertNotNull(entries.get(key), "no parameter " + key);
    if (replacement == null) {
      entries.remove(key);
    } else {
      entries.put(key, replacement);
    }
    Path file = dir.resolve("altered-" + key + "-" + (replacement == null ? "missing" : "shape") + ".npz");
    Npz.write(file, entries);
    return file;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("models")
  void importWithAMissingParameterFailsAndChangesNothing(String name, DataType dataType) throws IOException {
    RecurrentModel model = factory(name).create(1, dataType);
    List<String> names = new ArrayList<>(model.parameters().keySet());
    String missing = names.get(names.size() / 2);
    Path file = altered(name, dataType, missing, null);
    Map<String, INDArray> before = snapshot(model);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.importWeights(file));
    assertNotNull(e.getMessage());
    assertTrue(e.getMessage().contains(missing), "message should name " + missing + ": " + e.getMessage());
    assertUnchanged(before, model, "after a failed import");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("models")
  void importWithAWrongShapeFailsAndChangesNothing(String name, DataType dataType) throws IOException {
    RecurrentModel model = factory(name).create(1, dataType);
    INDArray fc = model.parameters().get("fc.weight");
    long[] shape = fc.shape();
    INDArray wrong = Nd4j.ones(dataType, shape[0], shape[1] + 1);
    Path file = altered(name, dataType, "fc.weight", wrong);
    Map<String, INDArray> before = snapshot(model);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.importWeights(file));
    assertNotNull(e.getMessage());
    assertTrue(e.getMessage().contains("fc.weight"), "message should name fc.weight: " + e.getMessage());
    assertUnchanged(before, model, "after a failed import");
  }

  @Test
  void importFromAMissingFileIsAnIOException() {
    RecurrentModel model = new UnrolledTestModels_DeepTagger(1, DataType.FLOAT);
    Map<String, INDArray> before = snapshot(model);
    Path nowhere = dir.resolve("no-such-file.npz");
    assertThrows(IOException.class, () -> model.importWeights(nowhere));
    assertUnchanged(before, model, "after a failed import");
  }
}
