package dev.unroll.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpzImportTest {

  private Map<String, INDArray> params;
  private Map<String, INDArray> before;

  @BeforeEach
  void model() {
    params = new LinkedHashMap<>();
    params.put("rnn.weight_ih_l0", Nd4j.zeros(DataType.FLOAT, 4, 3));
    params.put("rnn.bias_ih_l0", Nd4j.zeros(DataType.FLOAT, 4));
    params.put("fc.weight", Nd4j.zeros(DataType.FLOAT, 2, 4));
    params.put("fc.bias", Nd4j.zeros(DataType.FLOAT, 2));
    before = new LinkedHashMap<>();
    params.forEach((k, v) -> before.put(k, v.dup()));
  }

  /** A file that fits: values in double precision, plus keys outside the model's modules. */
  private Map<String, INDArray> fitting() {
    Map<String, INDArray> file = new LinkedHashMap<>();
    file.put("x", Nd4j.rand(DataType.DOUBLE, 2, 5, 3));
    file.put("rnn.weight_ih_l0", Nd4j.linspace(1, 12, 12, DataType.DOUBLE).reshape(4, 3));
    file.put("rnn.bias_ih_l0", Nd4j.createFromArray(0.5, -0.5, 1.5, -1.5));
    file.put("fc.weight", Nd4j.linspace(-4, 3, 8, DataType.DOUBLE).reshape(2, 4));
    file.put("fc.bias", Nd4j.createFromArray(0.25, -0.75));
    file.put("y", Nd4j.createFromArray(1L, 0L));
    file.put("loss", Nd4j.createFromArray(0.7));
    file.put("logits", Nd4j.rand(DataType.DOUBLE, 2, 2));
    file.put("grad.fc.weight", Nd4j.rand(DataType.DOUBLE, 9, 9));
    file.put("rnnx.weight", Nd4j.rand(DataType.DOUBLE, 1));
    file.put("embedding.weight", Nd4j.rand(DataType.DOUBLE, 5, 5));
    return file;
  }

  @Test
  void importsInPlaceAndIgnoresOtherKeys() {
    INDArray weight = params.get("rnn.weight_ih_l0");
    INDArray row = weight.getRow(3); // a view held elsewhere
    Npz.importInto(params, fitting(), "w.npz");

    assertSame(weight, params.get("rnn.weight_ih_l0"));
    assertEquals(DataType.FLOAT, weight.dataType());
    assertEquals(
        Nd4j.linspace(1, 12, 12, DataType.FLOAT).reshape(4, 3), params.get("rnn.weight_ih_l0"));
    assertEquals(Nd4j.createFromArray(10f, 11f, 12f), row);
    assertEquals(Nd4j.createFromArray(0.5f, -0.5f, 1.5f, -1.5f), params.get("rnn.bias_ih_l0"));
    assertEquals(-4f, params.get("fc.weight").getFloat(0, 0));
    assertEquals(3f, params.get("fc.weight").getFloat(1, 3));
    assertEquals(Nd4j.createFromArray(0.25f, -0.75f), params.get("fc.bias"));
  }

  @Test
  void missingParameter() {
    Map<String, INDArray> file = fitting();
    file.remove("fc.bias");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Npz.importInto(params, file, "w.npz"));
    assertEquals(
        "w.npz does not fit the model's parameters (1 problem; nothing was imported):\n"
            + "  missing: fc.bias [2] is not in the file",
        e.getMessage());
    assertUnchanged();
  }

  @Test
  void unexpectedKeyUnderAModulePrefix() {
    Map<String, INDArray> file = fitting();
    file.put("rnn.weight_ih_l1", Nd4j.zeros(DataType.DOUBLE, 4, 4));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Npz.importInto(params, file, "w.npz"));
    assertEquals(
        "w.npz does not fit the model's parameters (1 problem; nothing was imported):\n"
            + "  unexpected: rnn.weight_ih_l1 [4, 4] is under module 'rnn' but the model has no"
            + " such parameter",
        e.getMessage());
    assertUnchanged();
  }

  @Test
  void shapeMismatch() {
    Map<String, INDArray> file = fitting();
    file.put("fc.weight", Nd4j.zeros(DataType.DOUBLE, 4, 2));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Npz.importInto(params, file, "w.npz"));
    assertEquals(
        "w.npz does not fit the model's parameters (1 problem; nothing was imported):\n"
            + "  wrong shape: fc.weight is [2, 4] in the model but [4, 2] in the file",
        e.getMessage());
    assertUnchanged();
  }

  @Test
  void scalarIsNotAVectorOfOne() {
    Map<String, INDArray> p = new LinkedHashMap<>();
    p.put("m.s", Nd4j.scalar(0f));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Npz.importInto(p, Map.of("m.s", Nd4j.createFromArray(1.0)), "f"));
    assertTrue(e.getMessage().contains("m.s is [] in the model but [1] in the file"), e.getMessage());
    Npz.importInto(p, Map.of("m.s", Nd4j.scalar(2.0)), "f");
    assertEquals(2f, p.get("m.s").getFloat(0));
  }

  @Test
  void reportsEveryProblemAtOnceAndChangesNothing() {
    Map<String, INDArray> file = fitting();
    file.remove("rnn.bias_ih_l0");
    file.remove("fc.bias");
    file.put("fc.weight", Nd4j.zeros(DataType.DOUBLE, 2, 5));
    file.put("rnn.weight_hh_l0", Nd4j.zeros(DataType.DOUBLE, 4, 4));
    file.put("fc.extra", Nd4j.zeros(DataType.DOUBLE, 3));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Npz.importInto(params, file, "/tmp/model weights.npz"));
    List<String> lines = e.getMessage().lines().toList();
    assertEquals(
        List.of(
            "/tmp/model weights.npz does not fit the model's parameters (5 problems;"
                + " nothing was imported):",
            "  missing: rnn.bias_ih_l0 [4] is not in the file",
            "  wrong shape: fc.weight is [2, 4] in the model but [2, 5] in the file",
            "  missing: fc.bias [2] is not in the file",
            "  unexpected: rnn.weight_hh_l0 [4, 4] is under module 'rnn' but the model has no"
                + " such parameter",
            "  unexpected: fc.extra [3] is under module 'fc' but the model has no such parameter"),
        lines);
    assertUnchanged();
  }

  @Test
  void importsThePyTorchParityFile() throws IOException {
    Map<String, INDArray> file = Npz.read(NpzTest.resource("lstm_many_to_one.npz"));
    Map<String, INDArray> p = new LinkedHashMap<>();
    p.put("rnn.weight_ih_l0", Nd4j.zeros(DataType.FLOAT, 64, 9));
    p.put("rnn.weight_hh_l0", Nd4j.zeros(DataType.FLOAT, 64, 16));
    p.put("rnn.bias_ih_l0", Nd4j.zeros(DataType.FLOAT, 64));
    p.put("rnn.bias_hh_l0", Nd4j.zeros(DataType.FLOAT, 64));
    p.put("fc.weight", Nd4j.zeros(DataType.FLOAT, 3, 16));
    p.put("fc.bias", Nd4j.zeros(DataType.FLOAT, 3));
    Npz.importInto(p, file, "lstm_many_to_one.npz");
    for (String name : p.keySet()) {
      assertEquals(file.get(name).castTo(DataType.FLOAT), p.get(name), name);
    }
    // a model with a second layer does not fit
    p.put("rnn.weight_ih_l1", Nd4j.zeros(DataType.FLOAT, 64, 16));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Npz.importInto(p, file, "lstm_many_to_one.npz"));
    assertTrue(e.getMessage().contains("missing: rnn.weight_ih_l1 [64, 16]"), e.getMessage());
  }

  private void assertUnchanged() {
    for (String name : params.keySet()) {
      assertEquals(before.get(name), params.get(name), name + " changed after a failed import");
    }
  }
}
