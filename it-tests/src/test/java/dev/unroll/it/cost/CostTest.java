package dev.unroll.it.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.Cost;
import dev.unroll.runtime.UnrolledModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@code COST} constants of generated classes: parameter counts per module equal PyTorch's, and
 * multiply-adds equal counts worked out by hand for one LSTM, one GRU and one RNN.
 */
class CostTest {

  /**
   * The output of {@code src/test/scripts/cost_counts.py} under PyTorch 1.13: per model, every module's
   * {@code sum(p.numel())}, a recurrent module per layer and direction.
   */
  private static final Map<String, String> PYTORCH = Map.of(
      "LstmClassifier", "rnn.l0=320 rnn.l1=240 fc=18",
      "GruTagger", "embedding=30 rnn.l0=108 rnn.l0_reverse=108 fc=54",
      "RnnNoBias", "rnn.l0=88 fc=18",
      "DeepLstm", "embedding=48 rnn.l0=240 rnn.l0_reverse=240 rnn.l1=432 rnn.l1_reverse=432 fc=65",
      "Captioner", "init=70 embedding=45 rnn.l0=180 rnn.l1=180 fc=54",
      "Translator", "src_embedding=65 encoder.l0=392 encoder.l0_reverse=392 bridge=105 bridge_c=105 "
          + "tgt_embedding=44 decoder.l0=364 fc=88");

  private static final Map<String, Cost> COSTS = Map.of(
      "LstmClassifier", UnrolledCostModels_LstmClassifier.COST,
      "GruTagger", UnrolledCostModels_GruTagger.COST,
      "RnnNoBias", UnrolledCostModels_RnnNoBias.COST,
      "DeepLstm", UnrolledCostModels_DeepLstm.COST,
      "Captioner", UnrolledCostModels_Captioner.COST,
      "Translator", UnrolledCostModels_Translator.COST);

  @Test
  void parameterCountsPerModuleEqualPyTorchs() {
    for (String model : PYTORCH.keySet()) {
      String actual = COSTS.get(model).modules().stream().map(m -> m.name() + "=" + m.parameters())
          .collect(Collectors.joining(" "));
      assertEquals(PYTORCH.get(model), actual, model + ": modules and parameter counts");
    }
  }

  @Test
  void parameterCountsEqualTheGeneratedArrays() {
    Map<String, UnrolledModel> models = new LinkedHashMap<>();
    models.put("LstmClassifier", new UnrolledCostModels_LstmClassifier(1));
    models.put("GruTagger", new UnrolledCostModels_GruTagger(1));
    models.put("DeepLstm", new UnrolledCostModels_DeepLstm(1));
    models.put("Captioner", new UnrolledCostModels_Captioner(1));
    models.put("Translator", new UnrolledCostModels_Translator(1));
    for (var e : models.entrySet()) {
      Cost cost = COSTS.get(e.getKey());
      Map<String, Long> byModule = new LinkedHashMap<>();
      e.getValue().parameters().forEach((name, array) ->
          byModule.merge(name.substring(0, name.indexOf('.')), array.length(), Long::sum));
      byModule.forEach((module, n) -> assertEquals(n, cost.parameters(module), e.getKey() + " " + module));
      assertEquals(byModule.values().stream().mapToLong(Long::longValue).sum(), cost.parameters(), e.getKey());
    }
  }

  /**
   * LSTM, 9 features, hidden 5, two layers, 3 classes. Per step: layer 0 input product 4·5·9 = 180,
   * recurrent 4·5·5 = 100; layer 1 input 4·5·5 = 100, recurrent 100. Forward 480 per row and step.
   * Backward: layer 0 ∂W_ih 180 (no ∂x: features) + ∂W_hh 100 + ∂h 100 = 380; layer 1 2·100 + 2·100 = 400;
   * 780. The output layer runs once per row (many-to-one): 5·3 = 15 forward, 30 backward.
   */
  @Test
  void lstmMultiplyAddsByHand() {
    Cost cost = UnrolledCostModels_LstmClassifier.COST;
    assertEquals(480, cost.forwardMacsPerRowStep());
    assertEquals(780, cost.backwardMacsPerRowStep());
    Cost.Totals t = cost.cost(2, 10);
    assertEquals(2 * 10 * 480 + 2 * 15, t.forwardMacs());
    assertEquals(2 * 10 * 780 + 2 * 30, t.backwardMacs());
  }

  /**
   * Bidirectional GRU over an embedding of 3, hidden 4, 6 classes at every step. Per direction:
   * input 3·4·3 = 36, recurrent 3·4·4 = 48, 84; two directions 168; fc 8·6 = 48: forward 216.
   * Backward: per direction 2·36 (∂x flows into the embedding) + 2·48 = 168, two 336; fc 96: 432.
   */
  @Test
  void gruMultiplyAddsByHand() {
    Cost cost = UnrolledCostModels_GruTagger.COST;
    assertEquals(216, cost.forwardMacsPerRowStep());
    assertEquals(432, cost.backwardMacsPerRowStep());
    assertEquals(3L * 7 * 216, cost.cost(3, 7).forwardMacs());
  }

  /**
   * Elman RNN without biases, 3 features, hidden 8, 2 classes at every step: input 8·3 = 24,
   * recurrent 8·8 = 64, fc 8·2 = 16: forward 104. Backward: ∂W_ih 24 (no ∂x) + 2·64 + 2·16 = 184.
   */
  @Test
  void rnnMultiplyAddsByHand() {
    Cost cost = UnrolledCostModels_RnnNoBias.COST;
    assertEquals(104, cost.forwardMacsPerRowStep());
    assertEquals(184, cost.backwardMacsPerRowStep());
    assertEquals(4L * 5 * (104 + 184), cost.cost(4, 5).trainingMacs());
  }
}
