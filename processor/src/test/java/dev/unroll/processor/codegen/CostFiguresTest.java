package dev.unroll.processor.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.processor.model.CellKind;
import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.ReaderSpec;
import dev.unroll.processor.model.TopologyKind;
import dev.unroll.processor.model.UnrollPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte figures of {@link CostFigures}, worked out by hand from the buffers the generator sizes. */
class CostFiguresTest {

  /**
   * RNN, 3 features, hidden 8, 2 classes per step. Floats per row and step, evaluation: input 3, mask 1,
   * gates 8, h 8, fcInput 8, logits 2 = 30; training adds ∂a 8, ∂fcInput 8, ∂logits 2 = 48. Weight copies:
   * W_hh and its transpose, 2·8·8 = 128 floats.
   */
  @Test
  void rnnBytesByHand() {
    CostFigures cost = CostFigures.of(spec(CellKind.RNN_RELU, 8, 1, new InputSpec.Features(3),
        TopologyKind.MANY_TO_MANY, 2));
    assertEquals(30 * 4, cost.forwardBytes());
    assertEquals(48 * 4, cost.trainingBytes());
    assertEquals(128 * 4, cost.fixedBytes());
  }

  /**
   * Two LSTM layers of 128 over 9 features, many-to-one. Evaluation: input 9, mask 1, layer 1's input 128,
   * per layer gates 512, h 128, c 128, tanh(c) 128 = 896, twice: 1,930 floats. Training adds layer 1's
   * ∂input 128 and ∂a 512 per layer: 3,082. Weight copies: W_hh and Wᵀ, 2·512·128 per layer, and the fused
   * op's W_ih, W_hh and bias, 512·(9 + 128 + 1) and 512·(128 + 128 + 1): 464,384 floats.
   */
  @Test
  void lstmBytesByHand() {
    CostFigures cost = CostFigures.of(spec(CellKind.LSTM, 128, 2, new InputSpec.Features(9),
        TopologyKind.MANY_TO_ONE, 3));
    assertEquals(1_930 * 4, cost.forwardBytes());
    assertEquals(3_082 * 4, cost.trainingBytes());
    assertEquals(464_384 * 4, cost.fixedBytes());
    assertEquals(List.of("rnn", "fc"), cost.moduleNames());
    assertEquals(203_264, cost.parameters("rnn"));
  }

  /**
   * GRU (PyTorch form), embedding 4, hidden 5, many-to-many, 6 classes. Evaluation: input 4, mask 1,
   * gates 15, h 5, hh 15, fcInput 5, logits 6 = 51; training adds ∂x 4, ∂a 15, ∂hh 15, ∂fcInput 5,
   * ∂logits 6 = 96.
   */
  @Test
  void gruBytesByHand() {
    CostFigures cost = CostFigures.of(spec(CellKind.GRU, 5, 1, new InputSpec.Embedding(10, 4),
        TopologyKind.MANY_TO_MANY, 6));
    assertEquals(51 * 4, cost.forwardBytes());
    assertEquals(96 * 4, cost.trainingBytes());
  }

  private static ReaderSpec spec(CellKind cell, int hidden, int layers, InputSpec input, TopologyKind topology,
      int output) {
    return new ReaderSpec(null, "demo", "Model", cell, hidden, layers, false, true, 0.0, input, topology, output,
        new UnrollPlan.Loop());
  }
}
