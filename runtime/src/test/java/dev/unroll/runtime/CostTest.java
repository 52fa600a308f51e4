package dev.unroll.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CostTest {

  /** An embedding of 4 over 10 tokens, one GRU layer of hidden 2, a many-to-one output of 3 classes. */
  private static final Cost COST = new Cost(List.of(
      Cost.Module.perStep("embedding", "Embedding", "[B, T, 4]", 40, 0, 0),
      Cost.Module.perStep("rnn.l0", "GRU", "[B, T, 2]", 48, 36, 72),
      Cost.Module.perRow("fc", "Linear", "[B, 3]", 9, 6, 12)),
      100, 160, 96);

  @Test
  void totalsMultiplyPerStepModulesByRowsAndSteps() {
    Cost.Totals t = COST.cost(5, 7);
    assertEquals(5 * 7 * 36 + 5 * 6, t.forwardMacs());
    assertEquals(5 * 7 * 72 + 5 * 12, t.backwardMacs());
    assertEquals(t.forwardMacs() + t.backwardMacs(), t.trainingMacs());
    assertEquals(5 * 7 * 100, t.forwardBytes());
    assertEquals(5 * 7 * 160, t.trainingBytes());
    assertEquals(96, t.fixedBytes());
    assertEquals(36, COST.forwardMacsPerRowStep());
    assertEquals(72, COST.backwardMacsPerRowStep());
  }

  @Test
  void parametersSumPerModuleAndInAll() {
    assertEquals(97, COST.parameters());
    assertEquals(48, COST.parameters("rnn"));
    assertEquals(9, COST.parameters("fc"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> COST.parameters("lstm"));
    assertEquals("no module lstm; the modules are [embedding, rnn.l0, fc]", e.getMessage());
  }

  @Test
  void summaryIsATableWithATotal() {
    String expected = """
        Module     Type       Output shape    Parameters
        ------------------------------------------------
        embedding  Embedding  [B, T, 4]               40
        rnn.l0     GRU        [B, T, 2]               48
        fc         Linear     [B, 3]                   9
        ------------------------------------------------
        Total                                         97
        Multiply-adds per row and step: forward 36, backward 72
        Multiply-adds once per row: forward 6, backward 12
        Work buffers per row and step: 100 bytes (evaluation), 160 (training)
        Weight copies per replica: 96 bytes
        """;
    assertEquals(expected, COST.summary());
  }

  @Test
  void badValuesAreRejectedWithTheProblem() {
    IllegalArgumentException steps = assertThrows(IllegalArgumentException.class, () -> COST.cost(2, 0));
    assertEquals("batch and steps must be positive, got batch 2, steps 0", steps.getMessage());
    IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
        () -> new Cost(COST.modules(), 200, 100, 0));
    assertTrue(bytes.getMessage().contains("training 100 < forward 200"), bytes.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Cost(List.of(), 0, 0, 0));
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> Cost.Module.perStep("fc", "Linear", "[B, 3]", -1, 0, 0));
    assertTrue(negative.getMessage().startsWith("module fc has a negative count"), negative.getMessage());
  }

  @Test
  void overflowIsAnErrorNotAWrongTotal() {
    assertThrows(ArithmeticException.class, () -> COST.cost(Long.MAX_VALUE / 2, 3));
  }
}
