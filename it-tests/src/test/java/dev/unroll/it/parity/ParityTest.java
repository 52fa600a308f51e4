package dev.unroll.it.parity;

import static dev.unroll.it.TestArrays.identical;
import static dev.unroll.it.TestArrays.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.Npz;
import dev.unroll.runtime.RecurrentModel;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every PyTorch reference case in {@code /parity} (see its README) against the generated models: for each
 * case, the three ways of writing out time (loop, full unroll, unroll by 3) in float32 (relative error
 * under 1e-4) and float64 (under 1e-9), for the logits, the loss and every parameter's gradient.
 */
class ParityTest {

  /** How a test builds a model: the generated class's {@code (long seed, DataType)} constructor. */
  @FunctionalInterface
  interface ModelFactory {
    RecurrentModel create(long seed, DataType dataType);
  }

  /** One way of writing out time for one case, with the unroll settings its config must report. */
  record Variant(String name, ModelFactory factory, int unrollSteps, int unrollFactor) {}

  private static final Map<String, List<Variant>> CASES = new LinkedHashMap<>();

  private static void register(
      String name, int steps, ModelFactory loop, ModelFactory full, ModelFactory factor3) {
    CASES.put(
        name,
        List.of(
            new Variant("Loop", loop, 0, 0),
            new Variant("Full", full, steps, 0),
            new Variant("Factor3", factor3, 0, 3)));
  }

  static {
    register("gru_bidirectional_many_to_one", 7,
        UnrolledGruBidirectionalManyToOneCase_Loop::new,
        UnrolledGruBidirectionalManyToOneCase_Full::new,
        UnrolledGruBidirectionalManyToOneCase_Factor3::new);
    register("gru_many_to_many", 7,
        UnrolledGruManyToManyCase_Loop::new,
        UnrolledGruManyToManyCase_Full::new,
        UnrolledGruManyToManyCase_Factor3::new);
    register("gru_many_to_one_2layer", 7,
        UnrolledGruManyToOneTwoLayerCase_Loop::new,
        UnrolledGruManyToOneTwoLayerCase_Full::new,
        UnrolledGruManyToOneTwoLayerCase_Factor3::new);
    register("lstm_bidirectional_many_to_many", 7,
        UnrolledLstmBidirectionalManyToManyCase_Loop::new,
        UnrolledLstmBidirectionalManyToManyCase_Full::new,
        UnrolledLstmBidirectionalManyToManyCase_Factor3::new);
    register("lstm_embedding_char_lm", 9,
        UnrolledLstmEmbeddingCharLmCase_Loop::new,
        UnrolledLstmEmbeddingCharLmCase_Full::new,
        UnrolledLstmEmbeddingCharLmCase_Factor3::new);
    register("lstm_many_to_many_2layer", 7,
        UnrolledLstmManyToManyTwoLayerCase_Loop::new,
        UnrolledLstmManyToManyTwoLayerCase_Full::new,
        UnrolledLstmManyToManyTwoLayerCase_Factor3::new);
    register("lstm_many_to_one", 7,
        UnrolledLstmManyToOneCase_Loop::new,
        UnrolledLstmManyToOneCase_Full::new,
        UnrolledLstmManyToOneCase_Factor3::new);
    register("lstm_many_to_one_masked", 9,
        UnrolledLstmManyToOneMaskedCase_Loop::new,
        UnrolledLstmManyToOneMaskedCase_Full::new,
        UnrolledLstmManyToOneMaskedCase_Factor3::new);
    register("rnn_relu_many_to_many", 7,
        UnrolledRnnReluManyToManyCase_Loop::new,
        UnrolledRnnReluManyToManyCase_Full::new,
        UnrolledRnnReluManyToManyCase_Factor3::new);
    register("rnn_tanh_many_to_many_masked", 8,
        UnrolledRnnTanhManyToManyMaskedCase_Loop::new,
        UnrolledRnnTanhManyToManyMaskedCase_Full::new,
        UnrolledRnnTanhManyToManyMaskedCase_Factor3::new);
    register("rnn_tanh_many_to_one", 12,
        UnrolledRnnTanhManyToOneCase_Loop::new,
        UnrolledRnnTanhManyToOneCase_Full::new,
        UnrolledRnnTanhManyToOneCase_Factor3::new);
  }

  static Stream<Arguments> runs() {
    List<Arguments> out = new ArrayList<>();
    for (String name : CASES.keySet()) {
      for (Variant v : CASES.get(name)) {
        for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
          out.add(Arguments.of(name, v.name(), dt));
        }
      }
    }
    return out.stream();
  }

  static double tolerance(DataType dataType) {
    return dataType == DataType.DOUBLE ? 1e-9 : 1e-4;
  }

  static Path resource(String name) throws Exception {
    URL url = ParityTest.class.getResource("/parity/" + name);
    assertNotNull(url, "missing test resource /parity/" + name);
    return Path.of(url.toURI());
  }

  private static Variant variant(String caseName, String variantName) {
    return CASES.get(caseName).stream()
        .filter(v -> v.name().equals(variantName))
        .findFirst()
        .orElseThrow();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("runs")
  void matchesPyTorch(String caseName, String variantName, DataType dataType) throws Exception {
    String label = caseName + " " + variantName + " " + dataType;
    double tol = tolerance(dataType);
    Path npz = resource(caseName + ".npz");
    Map<String, INDArray> ref = Npz.read(npz);
    Variant variant = variant(caseName, variantName);

    RecurrentModel model = variant.factory().create(0, dataType);
    assertEquals(dataType, model.dataType(), label + ": dataType()");
    ModelConfig config = model.config();
    assertEquals(variant.unrollSteps(), config.unrollSteps(), label + ": config().unrollSteps()");
    assertEquals(variant.unrollFactor(), config.unrollFactor(), label + ": config().unrollFactor()");

    Set<String> expectedNames =
        ref.keySet().stream()
            .filter(k -> k.startsWith("grad."))
            .map(k -> k.substring("grad.".length()))
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expectedNames, new TreeSet<>(model.parameters().keySet()), label + ": parameter names");

    model.importWeights(npz);
    for (String name : expectedNames) {
      INDArray p = model.parameters().get(name);
      assertEquals(dataType, p.dataType(), label + ": dataType of imported " + name);
      assertCloseTo(label, "imported " + name, p, ref.get(name), tol);
    }

    INDArray x = ref.get("x");
    if (!config.embedded()) {
      x = x.castTo(dataType);
    }
    INDArray y = ref.get("y");
    INDArray mask = ref.get("mask");

    INDArray logits = mask == null ? model.forward(x) : model.forward(x, mask);
    assertEquals(dataType, logits.dataType(), label + ": dataType of logits");
    assertCloseTo(label, "logits", logits, ref.get("logits"), tol);

    Gradients g = mask == null ? model.gradients(x, y) : model.gradients(x, y, mask);
    double refLoss = ref.get("loss").getDouble(0);
    double lossErr = Math.abs(g.loss() - refLoss) / Math.abs(refLoss);
    assertTrue(
        lossErr < tol,
        () -> label + ": loss " + g.loss() + ", PyTorch " + refLoss + ", relative error " + lossErr
            + " (tolerance " + tol + ")");
    assertEquals(expectedNames, new TreeSet<>(g.asMap().keySet()), label + ": gradient names");
    for (String name : expectedNames) {
      INDArray grad = g.get(name);
      assertEquals(dataType, grad.dataType(), label + ": dataType of grad." + name);
      assertCloseTo(label, "grad." + name, grad, ref.get("grad." + name), tol);
    }

    // The backward pass must leave nothing behind that changes a later forward pass.
    INDArray again = mask == null ? model.forward(x) : model.forward(x, mask);
    assertTrue(identical(logits, again), label + ": forward after gradients differs from forward before");
  }

  private static void assertCloseTo(String label, String array, INDArray ours, INDArray ref, double tol) {
    assertNotNull(ref, label + ": the reference file has no " + array);
    double err;
    try {
      err = relativeError(ours, ref);
    } catch (AssertionError e) {
      throw new AssertionError(label + ": " + array + ": " + e.getMessage(), e);
    }
    double e = err;
    assertTrue(
        e < tol,
        () -> label + ": " + array + " relative error " + e + " (tolerance " + tol + ")");
  }

  /** Every case that {@code cases.json} lists has models here, and every one here has a reference file. */
  @Test
  void everyReferenceCaseHasModels() throws Exception {
    String json = Files.readString(resource("cases.json"), StandardCharsets.UTF_8);
    // Top-level keys are the only keys followed by an object.
    Matcher m = Pattern.compile("\"([a-z0-9_]+)\"\\s*:\\s*\\{").matcher(json);
    Set<String> listed = new TreeSet<>();
    while (m.find()) {
      listed.add(m.group(1));
    }
    assertEquals(listed, new TreeSet<>(CASES.keySet()), "cases in /parity/cases.json vs models here");
    for (String name : listed) {
      assertTrue(Files.isRegularFile(resource(name + ".npz")), name + ".npz");
    }
  }
}
