package dev.unroll.it.generation;

import static dev.unroll.it.TestArrays.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.Npz;
import dev.unroll.runtime.generation.OneToManyModel;
import dev.unroll.runtime.generation.Seq2SeqModel;
import dev.unroll.runtime.generation.SequenceGenerator;
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

/**
 * Every PyTorch reference case in {@code /parity-seq} (one-to-many and encoder-decoder, teacher
 * forcing) against the generated models, in float32 (relative error under 1e-4) and float64 (under
 * 1e-9): logits, loss and every parameter's gradient, the encoder's and init's included.
 */
class GenerationParityTest {

  static final Map<String, BiFunction<Long, DataType, SequenceGenerator<?>>> CASES = new LinkedHashMap<>();

  static {
    CASES.put("one_to_many_lstm", UnrolledParityCases_OneToManyLstm::new);
    CASES.put("one_to_many_gru_2layer", UnrolledParityCases_OneToManyGruTwoLayer::new);
    CASES.put("seq2seq_lstm", UnrolledParityCases_Seq2SeqLstm::new);
    CASES.put("seq2seq_gru_bidir_encoder", UnrolledParityCases_Seq2SeqGruBidirectionalEncoder::new);
  }

  static Stream<Arguments> runs() {
    List<Arguments> out = new ArrayList<>();
    for (String name : CASES.keySet()) {
      for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
        out.add(Arguments.of(name, dt));
      }
    }
    return out.stream();
  }

  static Path resource(String name) throws Exception {
    URL url = GenerationParityTest.class.getResource("/parity-seq/" + name);
    assertNotNull(url, "missing test resource /parity-seq/" + name);
    return Path.of(url.toURI());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("runs")
  void matchesPyTorch(String caseName, DataType dataType) throws Exception {
    String label = caseName + " " + dataType;
    double tol = dataType == DataType.DOUBLE ? 1e-9 : 1e-4;
    Path npz = resource(caseName + ".npz");
    Map<String, INDArray> ref = Npz.read(npz);
    SequenceGenerator<?> model = CASES.get(caseName).apply(0L, dataType);

    Set<String> expectedNames = ref.keySet().stream().filter(k -> k.startsWith("grad."))
        .map(k -> k.substring("grad.".length())).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expectedNames, new TreeSet<>(model.parameters().keySet()), label + ": parameter names");
    assertEquals(expectedNames.stream().toList().size(), model.parameters().size());
    model.importWeights(npz);

    INDArray tgtIn = ref.get("tgt_in");
    INDArray y = ref.get("y");
    INDArray logits;
    Gradients g;
    if (model instanceof OneToManyModel<?> m) {
      INDArray condition = ref.get("condition").castTo(dataType);
      logits = m.forward(condition, tgtIn);
      g = m.gradients(condition, tgtIn, y);
    } else {
      Seq2SeqModel<?> m = (Seq2SeqModel<?>) model;
      INDArray src = ref.get("src");
      INDArray srcMask = ref.get("src_mask");
      logits = m.forward(src, srcMask, tgtIn);
      g = m.gradients(src, srcMask, tgtIn, y);
    }
    assertEquals(dataType, logits.dataType(), label + ": dataType of logits");
    assertClose(label, "logits", logits, ref.get("logits"), tol);
    double refLoss = ref.get("loss").getDouble(0);
    double lossErr = Math.abs(g.loss() - refLoss) / Math.abs(refLoss);
    assertTrue(lossErr < tol, () -> label + ": loss " + g.loss() + ", PyTorch " + refLoss);
    assertEquals(expectedNames, new TreeSet<>(g.asMap().keySet()), label + ": gradient names");
    for (String name : expectedNames) {
      assertEquals(dataType, g.get(name).dataType(), label + ": dataType of grad." + name);
      assertClose(label, "grad." + name, g.get(name), ref.get("grad." + name), tol);
    }
    // the parameter order is PyTorch's state_dict order
    List<String> refOrder = ref.keySet().stream().filter(k -> k.startsWith("grad."))
        .map(k -> k.substring("grad.".length())).toList();
    assertEquals(refOrder, List.copyOf(model.parameters().keySet()), label + ": parameter order");
  }

  private static void assertClose(String label, String array, INDArray ours, INDArray ref, double tol) {
    assertNotNull(ref, label + ": the reference file has no " + array);
    double err = relativeError(ours, ref);
    assertTrue(err < tol, () -> label + ": " + array + " relative error " + err + " (tolerance " + tol + ")");
  }

  /** Every case that {@code cases.json} lists has a model here. */
  @Test
  void everyReferenceCaseHasAModel() throws Exception {
    String json = Files.readString(resource("cases.json"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\"([a-z0-9_]+)\"\\s*:\\s*\\{").matcher(json);
    Set<String> listed = new TreeSet<>();
    while (m.find()) {
      listed.add(m.group(1));
    }
    assertEquals(listed, new TreeSet<>(CASES.keySet()));
  }
}
