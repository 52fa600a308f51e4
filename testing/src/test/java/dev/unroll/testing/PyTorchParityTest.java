package dev.unroll.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Npz;
import dev.unroll.runtime.UnrolledModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link PyTorchParity} on two of unroll's PyTorch reference cases (copied from the integration
 * tests: see {@code /parity/README.md}): it passes on the files as PyTorch wrote them, in float32 and
 * float64, and fails on a file with one value changed, naming the array and the entry.
 */
class PyTorchParityTest {

  static final Map<String, Function<DataType, UnrolledModel>> CASES = Map.of(
      "lstm_many_to_one_masked", t -> new UnrolledTestModels_LstmManyToOneMasked(0, t),
      "seq2seq_lstm", t -> new UnrolledTestModels_Seq2SeqLstm(0, t));

  static Path resource(String name) throws Exception {
    return Path.of(PyTorchParityTest.class.getResource("/parity/" + name + ".npz").toURI());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"lstm_many_to_one_masked, FLOAT", "lstm_many_to_one_masked, DOUBLE",
      "seq2seq_lstm, FLOAT", "seq2seq_lstm, DOUBLE"})
  void matchesTheReference(String name, DataType dataType) throws Exception {
    UnrolledModel model = CASES.get(name).apply(dataType);
    PyTorchParity.Result r = PyTorchParity.of(model, resource(name)).assertPasses();
    assertEquals(2 + model.parameters().size(), r.comparisons().size(), "logits, loss and every gradient");
    double tol = dataType == DataType.DOUBLE ? 1e-9 : 1e-4;
    for (PyTorchParity.Comparison c : r.comparisons()) {
      assertEquals(tol, c.tolerance(), c.array());
      assertTrue(c.relativeError() < tol, c.array() + " " + c.relativeError());
    }
    // the file's weights are in the model now
    Map<String, INDArray> ref = Npz.read(resource(name));
    INDArray w = model.parameters().get("fc.weight");
    assertEquals(ref.get("fc.weight").getDouble(1, 2), w.getDouble(1, 2), dataType == DataType.DOUBLE ? 0 : 1e-7);
  }

  /** One gradient entry changed by 1e-3 (relative error about 1e-3 > 1e-4): only that array fails. */
  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void aWrongGradientFails(DataType dataType, @TempDir Path dir) throws Exception {
    Map<String, INDArray> ref = new LinkedHashMap<>(Npz.read(resource("lstm_many_to_one_masked")));
    INDArray g = ref.get("grad.rnn.weight_hh_l0").dup();
    double norm = g.norm2Number().doubleValue();
    g.putScalar(new long[] {3, 2}, g.getDouble(3, 2) + 1e-3 * norm);
    ref.put("grad.rnn.weight_hh_l0", g);
    Path file = dir.resolve("perturbed.npz");
    Npz.write(file, ref);

    UnrolledModel model = CASES.get("lstm_many_to_one_masked").apply(dataType);
    PyTorchParity.Result r = PyTorchParity.of(model, file).run();
    assertFalse(r.passed());
    assertFalse(r.comparison("grad.rnn.weight_hh_l0").passed());
    assertEquals(1, r.comparisons().stream().filter(c -> !c.passed()).count(), r.report());
    AssertionError e = assertThrows(AssertionError.class, () -> PyTorchParity.of(model, file).assertPasses());
    assertTrue(e.getMessage().contains("grad.rnn.weight_hh_l0: relative error"), e.getMessage());
    assertTrue(e.getMessage().contains("worst entry [3, 2]: ours "), e.getMessage());
  }

  /** A weight changed in the file changes the logits: the forward pass is compared too. */
  @ParameterizedTest
  @EnumSource(names = {"FLOAT", "DOUBLE"})
  void aWrongWeightFailsTheLogits(DataType dataType, @TempDir Path dir) throws Exception {
    Map<String, INDArray> ref = new LinkedHashMap<>(Npz.read(resource("seq2seq_lstm")));
    INDArray w = ref.get("fc.weight").dup();
    w.putScalar(new long[] {0, 0}, w.getDouble(0, 0) + 0.05);
    ref.put("fc.weight", w);
    Path file = dir.resolve("perturbed.npz");
    Npz.write(file, ref);
    PyTorchParity.Result r = PyTorchParity.of(CASES.get("seq2seq_lstm").apply(dataType), file).run();
    assertFalse(r.comparison("logits").passed(), r.report());
    assertTrue(r.report().contains("logits: relative error"), r.report());
  }

  @ParameterizedTest
  @EnumSource(names = {"DOUBLE"})
  void aFileWithoutGradientsIsRejectedNamingWhatIsMissing(DataType dataType, @TempDir Path dir) throws Exception {
    Map<String, INDArray> ref = new LinkedHashMap<>(Npz.read(resource("lstm_many_to_one_masked")));
    ref.remove("loss");
    ref.remove("grad.fc.bias");
    Path file = dir.resolve("incomplete.npz");
    Npz.write(file, ref);
    var e = assertThrows(IllegalArgumentException.class,
        () -> PyTorchParity.of(CASES.get("lstm_many_to_one_masked").apply(dataType), file).run());
    assertTrue(e.getMessage().startsWith("incomplete.npz lacks [loss, grad.fc.bias], which the comparison of a"
        + " UnrolledTestModels_LstmManyToOneMasked needs"), e.getMessage());
  }
}
