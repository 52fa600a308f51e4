package dev.unroll.it.generation;

import static dev.unroll.it.TestArrays.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.ModelConfig.CellType;
import dev.unroll.runtime.generation.OneToManyModel;
import dev.unroll.runtime.generation.Seq2SeqModel;
import dev.unroll.runtime.generation.SequenceGenerator;
import dev.unroll.testing.Batch;
import dev.unroll.testing.GradientCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Backpropagation through the generation models ({@code @OneToMany} and {@code @Seq2Seq}, teacher
 * forcing) against central differences, in float64, for every model of {@link GradCheckCases}: every
 * cell kind in both topologies, two-layer stacks, bidirectional encoders (through the bridge), a
 * padded source and ignored target steps.
 *
 * <p>The method is the {@code unroll-testing} artifact's {@link GradientCheck}, as in
 * {@code GradientCheckTest} (package {@code dev.unroll.it.gradcheck}): for each parameter array, every
 * entry when it has at most {@value #SAMPLES} of them, else {@value #SAMPLES} entries chosen by the seed
 * and the parameter's name, is perturbed in place by ±1e-6 and the loss L read back (dropout is 0, so
 * training mode is deterministic). Numeric and analytic derivatives over those entries must agree by
 * {@link GradientCheck.Rule#DEFAULT}: ‖numeric − analytic‖ / ‖numeric‖ &lt; 1e-6, or, for arrays with
 * tiny gradients, to within the rounding noise of the difference quotients (32 ulps of the loss per
 * quotient). Where the numeric gradient is exactly 0 at every chosen entry (e.g. the PAD row of an
 * embedding table), the analytic one must be under 1e-10.
 *
 * <p>Non-embedding parameters are multiplied by {@value #SCALE} ({@value #RELU_SCALE} for ReLU) so
 * the gates leave their linear range. For ReLU, entries whose difference quotients at ε = 1e-6 and
 * 1e-5 disagree sit on a kink and are left out, at most {@value #MAX_KINKS} per array.
 *
 * <p>The batch: {@value #B} rows, {@value #T} decoder steps. Row r has {@code TOKENS[r]} target tokens
 * (ids 3 and up): {@code tgtIn} is START (1), the tokens, then PAD (0); {@code y} is the tokens, END
 * (2), then -100. A seq2seq source has {@value #S} steps; in the padded checks row r has
 * {@code SOURCE_LENGTHS[r]} valid tokens (ids 3 and up), then PAD, with {@code srcMask} 1 at the valid
 * ones; the unpadded checks pass a null mask and full rows.
 */
class GenerationGradientCheckTest {

  static final int B = 3;
  /** Decoder steps: START + the longest row's tokens. */
  static final int T = 5;
  /** Source steps. */
  static final int S = 5;
  /** Target tokens per row (then END, then ignored steps): one full row, one of a single token. */
  static final int[] TOKENS = {4, 1, 2};
  /** Valid source tokens per row in the padded checks: different lengths, one full row. */
  static final int[] SOURCE_LENGTHS = {5, 2, 4};
  static final int PAD = 0;
  static final int START = 1;
  static final int END = 2;
  /** The first ordinary token id. */
  static final int FIRST_TOKEN = 3;

  static final GradientCheck.Rule RULE = GradientCheck.Rule.DEFAULT;
  /** Arrays with at most this many entries are checked in full; larger ones at this many entries. */
  static final int SAMPLES = 20;
  static final double SCALE = 2.0;
  static final double RELU_SCALE = 1.5;
  static final int MAX_KINKS = 2;
  static final long SEED = 11;

  /** A model of {@link GradCheckCases}, with what the test needs to know beyond its config. */
  record Case(String name, BiFunction<Long, DataType, SequenceGenerator<?>> factory, boolean seq2seq,
      boolean bidirectionalEncoder) {}

  static final Map<String, Case> CASES = new LinkedHashMap<>();

  private static void oneToMany(String name, BiFunction<Long, DataType, SequenceGenerator<?>> factory) {
    CASES.put(name, new Case(name, factory, false, false));
  }

  private static void seq2seq(String name, boolean bidirectional,
      BiFunction<Long, DataType, SequenceGenerator<?>> factory) {
    CASES.put(name, new Case(name, factory, true, bidirectional));
  }

  static {
    oneToMany("OneToManyRnnTanh", UnrolledGradCheckCases_OneToManyRnnTanh::new);
    oneToMany("OneToManyRnnRelu", UnrolledGradCheckCases_OneToManyRnnRelu::new);
    oneToMany("OneToManyLstm", UnrolledGradCheckCases_OneToManyLstm::new);
    oneToMany("OneToManyGru", UnrolledGradCheckCases_OneToManyGru::new);
    oneToMany("OneToManyGruResetBefore", UnrolledGradCheckCases_OneToManyGruResetBefore::new);
    oneToMany("OneToManyLstmTwoLayer", UnrolledGradCheckCases_OneToManyLstmTwoLayer::new);
    oneToMany("OneToManyGruResetBeforeTwoLayerNoBias",
        UnrolledGradCheckCases_OneToManyGruResetBeforeTwoLayerNoBias::new);
    seq2seq("Seq2SeqRnnTanh", false, UnrolledGradCheckCases_Seq2SeqRnnTanh::new);
    seq2seq("Seq2SeqRnnReluBidirectionalEncoder", true,
        UnrolledGradCheckCases_Seq2SeqRnnReluBidirectionalEncoder::new);
    seq2seq("Seq2SeqLstm", false, UnrolledGradCheckCases_Seq2SeqLstm::new);
    seq2seq("Seq2SeqLstmBidirectionalTwoLayer", true, UnrolledGradCheckCases_Seq2SeqLstmBidirectionalTwoLayer::new);
    seq2seq("Seq2SeqGru", false, UnrolledGradCheckCases_Seq2SeqGru::new);
    seq2seq("Seq2SeqGruBidirectionalEncoder", true, UnrolledGradCheckCases_Seq2SeqGruBidirectionalEncoder::new);
    seq2seq("Seq2SeqGruResetBeforeTwoLayer", false, UnrolledGradCheckCases_Seq2SeqGruResetBeforeTwoLayer::new);
    seq2seq("Seq2SeqGruResetBeforeBidirectionalNoBias", true,
        UnrolledGradCheckCases_Seq2SeqGruResetBeforeBidirectionalNoBias::new);
  }

  /** Seq2seq models also checked with a full source and a null mask (the others: padded only, to save time). */
  static final List<String> FULL_SOURCE = List.of("Seq2SeqLstm", "Seq2SeqRnnReluBidirectionalEncoder",
      "Seq2SeqGruResetBeforeTwoLayer");

  /** Every one-to-many model once; every seq2seq model with a padded source, some also with a full one. */
  static Stream<Arguments> checks() {
    List<Arguments> out = new ArrayList<>();
    for (Case c : CASES.values()) {
      out.add(Arguments.of(c.name(), c.seq2seq()));
      if (FULL_SOURCE.contains(c.name())) {
        out.add(Arguments.of(c.name(), false));
      }
    }
    return out.stream();
  }

  /** The inputs of one check; {@code condition} for one-to-many, {@code src} (and a mask or null) for seq2seq. */
  record Inputs(INDArray condition, INDArray src, INDArray srcMask, INDArray tgtIn, INDArray y) {
    Batch batch() {
      return condition != null
          ? new Batch.Conditioned(condition, tgtIn, y)
          : new Batch.Translation(src, srcMask, tgtIn, y);
    }
  }

  @Test
  void everyCellKindInBothTopologies() {
    TreeSet<String> seen = new TreeSet<>();
    for (Case c : CASES.values()) {
      SequenceGenerator<?> model = create(c);
      ModelConfig config = model.config();
      assertEquals(DataType.DOUBLE, model.dataType(), c.name());
      assertEquals(0.0, config.dropout(), c.name());
      assertEquals(c.seq2seq(), model instanceof Seq2SeqModel<?>, c.name());
      assertEquals(!c.seq2seq(), model instanceof OneToManyModel<?>, c.name());
      seen.add(config.cell() + " " + config.topology());
    }
    // RNN_TANH, RNN_RELU, LSTM, GRU, GRU_RESET_BEFORE x ONE_TO_MANY, SEQ2SEQ
    assertEquals(10, seen.size(), "cell x topology: " + seen);
    for (String required : List.of("OneToManyGruResetBefore", "Seq2SeqGruResetBeforeTwoLayer",
        "Seq2SeqLstmBidirectionalTwoLayer", "Seq2SeqGruBidirectionalEncoder", "OneToManyLstmTwoLayer")) {
      assertTrue(CASES.containsKey(required), required);
    }
  }

  @ParameterizedTest(name = "{0} paddedSource={1}")
  @MethodSource("checks")
  void analyticGradientsMatchCentralDifferences(String name, boolean padded) {
    Case c = CASES.get(name);
    String label = name + (c.seq2seq() ? (padded ? " (padded source)" : " (full source)") : "");
    SequenceGenerator<?> model = prepared(c);
    Inputs batch = batch(model, padded, new Random(SEED * 1_000_003L + name.hashCode() * 2L + (padded ? 1 : 0)));

    Gradients analytic = gradients(model, batch);
    assertTrue(Double.isFinite(analytic.loss()) && analytic.loss() > 0, label + ": loss " + analytic.loss());
    assertEquals(expectedNames(c, model.config()), new TreeSet<>(model.parameters().keySet()),
        label + ": parameter names");
    assertEquals(model.parameters().keySet(), analytic.asMap().keySet(), label + ": gradient names vs parameter names");

    for (Map.Entry<String, INDArray> e : analytic.asMap().entrySet()) {
      assertEquals(DataType.DOUBLE, e.getValue().dataType(), label + ": dataType of the gradient of " + e.getKey());
    }
    GradientCheck.Result r = check(model, batch);
    summarise(name, r);
    assertTrue(r.passed(), label + ":\n" + r.report());

    // The parameters are back as they were: the perturbations were undone exactly.
    Gradients after = gradients(model, batch);
    assertEquals(analytic.loss(), after.loss(), 1e-14 * analytic.loss(), label + ": loss changed by the check");

    checkIgnoredInputs(label, model, padded, batch, analytic);
  }

  /**
   * The check can fail: one analytic entry off by 1e-5 of its array's norm (or by 1e-7 where that
   * norm is tiny) is caught, for an array of each part of the models (encoder, bridge, init, decoder,
   * output layer). The unchanged arrays pass.
   */
  @Test
  void aWrongGradientIsCaught() {
    Map<String, List<String>> arrays = Map.of(
        "Seq2SeqLstmBidirectionalTwoLayer",
        List.of("encoder.weight_hh_l0_reverse", "encoder.weight_ih_l1", "bridge_c.weight", "src_embedding.weight",
            "decoder.bias_hh_l1"),
        "OneToManyGruResetBefore", List.of("init.weight", "rnn.weight_hh_l0", "fc.bias"));
    for (Map.Entry<String, List<String>> m : arrays.entrySet()) {
      Case c = CASES.get(m.getKey());
      SequenceGenerator<?> model = prepared(c);
      GradientCheck.Result r = check(model, batch(model, true, new Random(SEED)));
      for (String param : m.getValue()) {
        assertNotNull(model.parameters().get(param), c.name() + " has no " + param);
        GradientCheck.ArrayCheck a = r.array(param);
        assertTrue(a.passed(), c.name() + " " + a.problem());
        double[] ana = a.analytic();
        // perturb the entry with the largest analytic gradient among those the check looks at
        int at = 0;
        for (int k = 0; k < ana.length; k++) {
          if (Math.abs(ana[k]) > Math.abs(ana[at])) {
            at = k;
          }
        }
        double[] wrong = ana.clone();
        wrong[at] += Math.max(1e-5 * a.numericNorm(), 1e-7);
        String problem = RULE.judge(param, a.shape(), a.indices(), a.numeric(), wrong, r.loss());
        assertNotNull(problem,
            c.name() + " " + param + ": a wrong entry " + Arrays.toString(a.indices()[at]) + " passed");
      }
    }
  }

  /** The check of every parameter array of {@code model} on {@code inputs}. */
  private static GradientCheck.Result check(SequenceGenerator<?> model, Inputs inputs) {
    return GradientCheck.of(model).inputs(inputs.batch()).rule(RULE).samples(SAMPLES).maxKinks(MAX_KINKS)
        .seed(SEED).run();
  }

  /** Adds the arrays of one check to the summary. */
  private static void summarise(String modelName, GradientCheck.Result r) {
    double allowancePerEntry = RULE.noiseFloor(r.loss());
    for (GradientCheck.ArrayCheck a : r.arrays()) {
      String key = modelName + " " + a.name();
      double err = a.relativeError();
      ENTRIES.addAndGet(a.indices().length);
      if (a.numericNorm() == 0) {
        ZERO.merge(key, err, Math::max);
      } else {
        String detail = String.format("%.3g (‖numeric‖ %.3g, ‖numeric − analytic‖ %.3g, rounding allowance %.3g)",
            err, a.numericNorm(), err * a.numericNorm(), allowancePerEntry * Math.sqrt(a.indices().length));
        WORST.merge(key, err, Math::max);
        DETAIL.merge(key, detail, (old, now) -> WORST.get(key) == err ? now : old);
      }
    }
  }

  /**
   * The worst relative error seen per model and array (‖numeric − analytic‖ / ‖numeric‖, or
   * ‖analytic‖ where the numeric gradient is 0), for the summary printed after the checks.
   */
  static final Map<String, Double> WORST = Collections.synchronizedMap(new LinkedHashMap<>());
  /** The largest analytic |gradient| where the numeric gradient is 0 at every checked entry. */
  static final Map<String, Double> ZERO = Collections.synchronizedMap(new LinkedHashMap<>());
  /** The numbers behind each array's worst relative error. */
  static final Map<String, String> DETAIL = Collections.synchronizedMap(new LinkedHashMap<>());
  /** Entries checked against central differences. */
  static final AtomicLong ENTRIES = new AtomicLong();

  @AfterAll
  static void summary() {
    if (WORST.isEmpty()) {
      return;
    }
    List<Map.Entry<String, Double>> sorted = new ArrayList<>(WORST.entrySet());
    sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    StringBuilder sb = new StringBuilder("GenerationGradientCheckTest: " + ENTRIES.get() + " entries of "
        + (WORST.size() + ZERO.size()) + " arrays checked; worst relative errors:");
    for (Map.Entry<String, Double> e : sorted.subList(0, Math.min(8, sorted.size()))) {
      sb.append("\n  ").append(e.getKey()).append(": ").append(DETAIL.get(e.getKey()));
    }
    sb.append("\n  numeric gradient 0 at every checked entry (largest analytic |g|): ").append(ZERO);
    System.out.println(sb);
  }




  private static Gradients gradients(SequenceGenerator<?> model, Inputs b) {
    return b.batch().gradients(model);
  }

  private static INDArray forward(SequenceGenerator<?> model, Inputs b) {
    return b.batch().forward(model);
  }

  private static SequenceGenerator<?> create(Case c) {
    return c.factory().apply(SEED, DataType.DOUBLE);
  }

  /** The model with its non-embedding parameters scaled (see the class comment). */
  private static SequenceGenerator<?> prepared(Case c) {
    SequenceGenerator<?> model = create(c);
    double scale = model.config().cell() == CellType.RNN_RELU ? RELU_SCALE : SCALE;
    for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
      if (!e.getKey().endsWith("embedding.weight")) { // N(0, 1) already: large enough
        e.getValue().muli(scale);
      }
    }
    return model;
  }

  /** PyTorch's parameter names of a generation model of this shape. */
  static TreeSet<String> expectedNames(Case c, ModelConfig config) {
    TreeSet<String> names = new TreeSet<>();
    names.add("fc.weight");
    names.add("fc.bias");
    if (c.seq2seq()) {
      names.add("src_embedding.weight");
      names.add("tgt_embedding.weight");
      addLayers(names, "encoder", config.layers(), c.bidirectionalEncoder(), config.bias());
      addLayers(names, "decoder", config.layers(), false, config.bias());
      if (c.bidirectionalEncoder()) {
        names.add("bridge.weight");
        names.add("bridge.bias");
        if (config.cell() == CellType.LSTM) {
          names.add("bridge_c.weight");
          names.add("bridge_c.bias");
        }
      }
    } else {
      names.add("init.weight");
      names.add("init.bias");
      names.add("embedding.weight");
      addLayers(names, "rnn", config.layers(), false, config.bias());
    }
    return names;
  }

  private static void addLayers(TreeSet<String> names, String module, int layers, boolean bidirectional, boolean bias) {
    for (int l = 0; l < layers; l++) {
      for (String suffix : bidirectional ? List.of("", "_reverse") : List.of("")) {
        names.add(module + ".weight_ih_l" + l + suffix);
        names.add(module + ".weight_hh_l" + l + suffix);
        if (bias) {
          names.add(module + ".bias_ih_l" + l + suffix);
          names.add(module + ".bias_hh_l" + l + suffix);
        }
      }
    }
  }

  /** The batch of the class comment for {@code model}. */
  static Inputs batch(SequenceGenerator<?> model, boolean padded, Random rnd) {
    int vocab = model.vocabulary();
    long[][] tgtIn = new long[B][T];
    long[][] y = new long[B][T];
    for (int b = 0; b < B; b++) {
      tgtIn[b][0] = START;
      for (int t = 0; t < T; t++) {
        if (t < TOKENS[b]) {
          long token = FIRST_TOKEN + rnd.nextInt(vocab - FIRST_TOKEN);
          y[b][t] = token;
          if (t + 1 < T) {
            tgtIn[b][t + 1] = token;
          }
        } else if (t == TOKENS[b]) {
          y[b][t] = END;
          if (t + 1 < T) {
            tgtIn[b][t + 1] = PAD;
          }
        } else {
          y[b][t] = -100;
          if (t + 1 < T) {
            tgtIn[b][t + 1] = PAD;
          }
        }
      }
    }
    if (model instanceof OneToManyModel<?> m) {
      double[][] v = new double[B][m.conditionSize()];
      for (double[] row : v) {
        for (int i = 0; i < row.length; i++) {
          row[i] = 2 * rnd.nextDouble() - 1;
        }
      }
      return new Inputs(Nd4j.createFromArray(v), null, null, Nd4j.createFromArray(tgtIn), Nd4j.createFromArray(y));
    }
    int sourceVocab = ((Seq2SeqModel<?>) model).sourceVocabulary();
    long[][] src = new long[B][S];
    double[][] mask = new double[B][S];
    for (int b = 0; b < B; b++) {
      int length = padded ? SOURCE_LENGTHS[b] : S;
      for (int s = 0; s < S; s++) {
        if (s < length) {
          src[b][s] = FIRST_TOKEN + rnd.nextInt(sourceVocab - FIRST_TOKEN);
          mask[b][s] = 1;
        } else {
          src[b][s] = PAD;
        }
      }
    }
    return new Inputs(null, Nd4j.createFromArray(src), padded ? Nd4j.createFromArray(mask) : null,
        Nd4j.createFromArray(tgtIn), Nd4j.createFromArray(y));
  }

  /**
   * What must not matter does not: the PAD rows of the embedding tables get exactly zero gradient
   * (PAD only appears at padded source steps and at decoder inputs whose targets are all ignored); the
   * decoder inputs after a row's END target, and the source tokens at padded steps, change neither the
   * loss nor the logits at the steps that count.
   */
  private static void checkIgnoredInputs(String label, SequenceGenerator<?> model, boolean padded, Inputs batch,
      Gradients analytic) {
    for (String table : List.of("embedding.weight", "tgt_embedding.weight", "src_embedding.weight")) {
      INDArray g = analytic.asMap().get(table);
      if (g != null) {
        INDArray padRow = g.getRow(PAD);
        assertEquals(0.0, padRow.norm2Number().doubleValue(), 0.0,
            label + ": gradient of the PAD row of " + table + " is " + padRow);
      }
    }
    Random rnd = new Random(SEED);
    INDArray tgtIn = batch.tgtIn().dup();
    for (int b = 0; b < B; b++) {
      for (int t = TOKENS[b] + 1; t < T; t++) { // y is -100 from step TOKENS[b] + 1 on
        tgtIn.putScalar(new long[] {b, t}, FIRST_TOKEN + rnd.nextInt(model.vocabulary() - FIRST_TOKEN));
      }
    }
    INDArray src = batch.src();
    if (padded) {
      src = src.dup();
      int sourceVocab = ((Seq2SeqModel<?>) model).sourceVocabulary();
      for (int b = 0; b < B; b++) {
        for (int s = SOURCE_LENGTHS[b]; s < S; s++) {
          src.putScalar(new long[] {b, s}, FIRST_TOKEN + rnd.nextInt(sourceVocab - FIRST_TOKEN));
        }
      }
    }
    Inputs other = new Inputs(batch.condition(), src, batch.srcMask(), tgtIn, batch.y());
    double lossChange = Math.abs(gradients(model, other).loss() - analytic.loss());
    assertTrue(lossChange <= 1e-13 * analytic.loss(),
        label + ": the loss depends on ignored decoder inputs or padded source tokens (change " + lossChange + ")");
    INDArray logits = forward(model, batch);
    INDArray logits2 = forward(model, other);
    assertEquals(List.of((long) B, (long) T, (long) model.vocabulary()), Arrays.stream(logits.shape()).boxed().toList(),
        label + ": logits shape");
    for (int b = 0; b < B; b++) {
      int counted = TOKENS[b] + 1; // the steps up to END
      INDArray ours = logits.get(NDArrayIndex.point(b),
          NDArrayIndex.interval(0, counted), NDArrayIndex.all());
      INDArray theirs = logits2.get(NDArrayIndex.point(b),
          NDArrayIndex.interval(0, counted), NDArrayIndex.all());
      double err = relativeError(theirs.dup(), ours.dup());
      assertTrue(err < 1e-13, label + ": logits of row " + b + " change with ignored inputs (" + err + ")");
    }
  }
}
