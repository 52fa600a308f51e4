package dev.unroll.it.mse;

import static dev.unroll.it.TestArrays.identical;
import static dev.unroll.it.TestArrays.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.ModelConfig.LossType;
import dev.unroll.runtime.Npz;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.internal.MeanSquaredError;
import dev.unroll.testing.PyTorchParity;
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
import java.util.function.BiFunction;
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
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every PyTorch reference case in {@code /parity-mse} (see its README) against the generated
 * {@code @Output(loss = Loss.MSE)} models, in float32 (relative error under 1e-4) and float64 (under
 * 1e-9): the predictions, the loss and every parameter's gradient. Padded steps carry NaN targets, so
 * a case passes only if the mask, not the target's value, leaves them out.
 */
class MseParityTest {

  private static final Map<String, Map<String, BiFunction<Long, DataType, RecurrentModel>>> CASES =
      new LinkedHashMap<>();

  static {
    CASES.put("lstm_many_to_one_mse", Map.of(
        "Loop", UnrolledMseCases_LstmManyToOne::new,
        "Full", UnrolledMseCases_LstmManyToOneFull::new,
        "Factor3", UnrolledMseCases_LstmManyToOneFactor3::new));
    CASES.put("gru_many_to_one_mse_masked", Map.of(
        "Loop", UnrolledMseCases_GruManyToOneMasked::new,
        "Factor3", UnrolledMseCases_GruManyToOneMaskedFactor3::new));
    CASES.put("lstm_many_to_many_mse_masked", Map.of(
        "Loop", UnrolledMseCases_LstmManyToManyMasked::new,
        "Factor3", UnrolledMseCases_LstmManyToManyMaskedFactor3::new));
    CASES.put("gru_many_to_many_mse_2layer", Map.of(
        "Loop", UnrolledMseCases_GruManyToManyTwoLayer::new,
        "Full", UnrolledMseCases_GruManyToManyTwoLayerFull::new));
    CASES.put("gru_bidirectional_many_to_many_mse_masked", Map.of(
        "Loop", UnrolledMseCases_GruBidirectionalManyToManyMasked::new,
        "Factor3", UnrolledMseCases_GruBidirectionalManyToManyMaskedFactor3::new));
  }

  static Stream<Arguments> runs() {
    List<Arguments> out = new ArrayList<>();
    for (var c : CASES.entrySet()) {
      for (String variant : new TreeSet<>(c.getValue().keySet())) {
        for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
          out.add(Arguments.of(c.getKey(), variant, dt));
        }
      }
    }
    return out.stream();
  }

  private static Path resource(String name) throws Exception {
    URL url = MseParityTest.class.getResource("/parity-mse/" + name);
    assertNotNull(url, "missing test resource /parity-mse/" + name);
    return Path.of(url.toURI());
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("runs")
  void matchesPyTorch(String caseName, String variant, DataType dataType) throws Exception {
    String label = caseName + " " + variant + " " + dataType;
    double tol = dataType == DataType.DOUBLE ? 1e-9 : 1e-4;
    Path npz = resource(caseName + ".npz");
    Map<String, INDArray> ref = Npz.read(npz);
    RecurrentModel model = CASES.get(caseName).get(variant).apply(0L, dataType);
    assertEquals(LossType.MSE, model.config().loss(), label + ": config().loss()");

    Set<String> names = ref.keySet().stream().filter(k -> k.startsWith("grad."))
        .map(k -> k.substring("grad.".length())).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(names, new TreeSet<>(model.parameters().keySet()), label + ": parameter names");
    model.importWeights(npz);

    INDArray x = ref.get("x").castTo(dataType);
    INDArray y = ref.get("y").castTo(dataType);
    INDArray mask = ref.get("mask");

    INDArray predictions = mask == null ? model.forward(x) : model.forward(x, mask);
    assertEquals(dataType, predictions.dataType(), label + ": dataType of predictions");
    assertClose(label, "predictions", predictions, ref.get("predictions"), tol);

    Gradients g = mask == null ? model.gradients(x, y) : model.gradients(x, y, mask);
    double refLoss = ref.get("loss").getDouble(0);
    double lossErr = Math.abs(g.loss() - refLoss) / Math.abs(refLoss);
    assertTrue(lossErr < tol, () -> label + ": loss " + g.loss() + ", PyTorch " + refLoss);
    // the same loss from the batch-first outputs, as a trainer's validation computes it
    double evaluated = MeanSquaredError.loss(predictions, y, mask);
    assertTrue(Math.abs(evaluated - refLoss) / refLoss < tol, () -> label + ": evaluated loss " + evaluated);
    for (String name : names) {
      assertEquals(dataType, g.get(name).dataType(), label + ": dataType of grad." + name);
      assertClose(label, "grad." + name, g.get(name), ref.get("grad." + name), tol);
    }
    INDArray again = mask == null ? model.forward(x) : model.forward(x, mask);
    assertTrue(identical(predictions, again), label + ": forward after gradients differs from forward before");
  }

  @Test
  void classTargets_areRefused_withTheShapeAFloatTargetMustHave() {
    RecurrentModel model = new UnrolledMseCases_LstmManyToOne(1, DataType.DOUBLE);
    INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 4, 5);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> model.gradients(x, Nd4j.createFromArray(0L, 1L, 0L)));
    assertTrue(e.getMessage().startsWith("y must be [3, 2] floating-point targets"), e.getMessage());
    RecurrentModel tagger = new UnrolledMseCases_LstmManyToManyMasked(1, DataType.DOUBLE);
    INDArray xs = Nd4j.rand(DataType.DOUBLE, 3, 4, 3);
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> tagger.gradients(xs, Nd4j.rand(DataType.DOUBLE, 3, 4)));
    assertTrue(e.getMessage().startsWith("y must be [3, 4, 2] floating-point targets"), e.getMessage());
  }

  @Test
  void unrollTestingsPyTorchParity_readsThePredictionsOfAnMseCase() throws Exception {
    for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
      PyTorchParity.Result r = PyTorchParity.of(new UnrolledMseCases_LstmManyToManyMasked(0, dt),
          resource("lstm_many_to_many_mse_masked.npz")).assertPasses();
      assertTrue(r.passed(), r.toString());
    }
  }

  @Test
  void everyReferenceCaseHasModels() throws Exception {
    String json = Files.readString(resource("cases.json"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\"([a-z0-9_]+)\"\\s*:\\s*\\{").matcher(json);
    Set<String> listed = new TreeSet<>();
    while (m.find()) {
      listed.add(m.group(1));
    }
    assertEquals(listed, new TreeSet<>(CASES.keySet()), "cases in /parity-mse/cases.json vs models here");
    assertTrue(listed.size() >= 4);
  }

  private static void assertClose(String label, String array, INDArray ours, INDArray ref, double tol) {
    assertNotNull(ref, label + ": the reference file has no " + array);
    double err = relativeError(ours, ref);
    assertTrue(err < tol, () -> label + ": " + array + " relative error " + err + " (tolerance " + tol + ")");
  }
}
