package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.source;

import com.google.testing.compile.Compilation;
import dev.unroll.runtime.UnrolledModel;
import dev.unroll.runtime.generation.OneToManyModel;
import dev.unroll.runtime.generation.Seq2SeqModel;
import dev.unroll.runtime.generation.SequenceGenerator;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Random generation models ({@code @OneToMany}, {@code @Seq2Seq}), each compiled by javac with the
 * processor: every valid one compiles without errors or warnings and its class runs forward, backward
 * and greedy decoding; one invalid generation value among valid ones gives exactly one error, on its line.
 */
class SequencePropertyTest {

  enum Cell { RNN_TANH, RNN_RELU, LSTM, GRU, GRU_RESET_BEFORE }

  /** One stack: a one-to-many model's, or a seq2seq encoder's or decoder's (cell kind, hidden and layers shared). */
  record Stack(boolean bidirectional, boolean bias, double dropout, int vocab, int dim) {}

  /**
   * A model: {@code encoder} null for one-to-many ({@code condition > 0}), else a seq2seq
   * ({@code condition} 0); {@code seed} draws the batch it runs on.
   */
  record Config(Cell cell, int hidden, int layers, Stack encoder, Stack decoder, int condition, int start, int end,
      int maxSteps, int batch, long seed) {

    boolean seq2seq() {
      return encoder != null;
    }
  }

  /** One element set to an invalid value: its written form, and the error tag it must raise. */
  record Mistake(String element, String written, String tag) {}

  record Invalid(Config config, Mistake mistake) {}

  @Property(tries = 25)
  void validOneToMany_compilesWithoutWarningsAndRunsAndDecodes(@ForAll("oneToMany") Config config) throws Exception {
    compileAndRun(config);
  }

  @Property(tries = 25)
  void validSeq2Seq_compilesWithoutWarningsAndRunsAndDecodes(@ForAll("seq2seq") Config config) throws Exception {
    compileAndRun(config);
  }

  /** A sample jqwik once shrank to: a bias-free bidirectional encoder, a decoder with biases, two layers. */
  @Example
  void seq2seqWithABiasFreeEncoder_compilesAndRunsAndDecodes() throws Exception {
    compileAndRun(new Config(Cell.GRU_RESET_BEFORE, 2, 2, new Stack(true, false, 0.0, 3, 1),
        new Stack(false, true, 0.0, 3, 5), 0, 0, 1, 8, 2, 254697));
    compileAndRun(new Config(Cell.GRU_RESET_BEFORE, 3, 2, new Stack(true, false, 0.0, 4, 1),
        new Stack(false, true, 0.0, 3, 5), 0, 0, 1, 8, 2, 254697));
    compileAndRun(new Config(Cell.RNN_TANH, 2, 2, new Stack(true, true, 0.0, 4, 2),
        new Stack(false, true, 0.0, 3, 2), 0, 1, 0, 2, 2, -2));
  }

  @Property(tries = 30)
  void oneInvalidGenerationValue_isExactlyOneErrorOnItsLine(@ForAll("invalid") Invalid invalid) {
    JavaFileObject source = render(invalid.config(), invalid.mistake());
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadWarningCount(0);
    assertThat(compilation).hadErrorContaining(invalid.mistake().tag())
        .inFile(source).onLineContaining(invalid.mistake().written());
  }

  private static void compileAndRun(Config config) throws Exception {
    Compilation compilation = compile(render(config, null));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFiles()).hasSize(1);
    UnrolledModel model = GeneratedModels.load(compilation, "demo.UnrolledTiny", DataType.DOUBLE);
    assertThat(model.dataType()).isEqualTo(DataType.DOUBLE);
    SequenceGenerator<?> generator = (SequenceGenerator<?>) model;
    assertWithMessage("startToken").that(generator.startToken()).isEqualTo(config.start());
    assertWithMessage("endToken").that(generator.endToken()).isEqualTo(config.end());
    assertWithMessage("maxSteps").that(generator.maxSteps()).isEqualTo(config.maxSteps());
    assertWithMessage("vocabulary").that(generator.vocabulary()).isEqualTo(config.decoder().vocab());
    if (config.seq2seq()) {
      assertThat(model).isInstanceOf(Seq2SeqModel.class);
      assertWithMessage("sourceVocabulary").that(((Seq2SeqModel<?>) model).sourceVocabulary())
          .isEqualTo(config.encoder().vocab());
    } else {
      assertThat(model).isInstanceOf(OneToManyModel.class);
      assertWithMessage("conditionSize").that(((OneToManyModel<?>) model).conditionSize())
          .isEqualTo(config.condition());
    }
    GeneratedModels.runGeneration(model, config.batch(), config.seed());
  }

  // ------------------------------------------------------------ configurations

  @Provide
  Arbitrary<Config> oneToMany() {
    return models(false);
  }

  @Provide
  Arbitrary<Config> seq2seq() {
    return models(true);
  }

  @Provide
  Arbitrary<Invalid> invalid() {
    return Arbitraries.oneOf(List.of(models(false), models(true))).flatMap(config -> {
      int vocab = config.decoder().vocab();
      Arbitrary<Integer> outside = Arbitraries.oneOf(List.of(
          Arbitraries.integers().between(-20, -1), Arbitraries.integers().between(vocab, vocab + 20)));
      Arbitrary<Integer> notPositive = Arbitraries.integers().between(-100, 0);
      List<Arbitrary<Mistake>> mistakes = new ArrayList<>(List.of(
          outside.map(v -> new Mistake("start", "start = " + v, "[unroll.token-range]")),
          outside.map(v -> new Mistake("end", "end = " + v, "[unroll.token-range]")),
          Arbitraries.just(new Mistake("end", "end = " + config.start(), "[unroll.start-end]")),
          notPositive.map(v -> new Mistake("maxSteps", "maxSteps = " + v, "[unroll.max-steps]")),
          Arbitraries.integers().between(1, 30).filter(v -> v != vocab)
              .map(v -> new Mistake("output", "@Output(" + v + ")", "[unroll.output-vocab]"))));
      if (!config.seq2seq()) {
        mistakes.add(notPositive.map(v -> new Mistake("condition", "@Condition(" + v + ")", "[unroll.condition]")));
      }
      return Arbitraries.oneOf(mistakes).map(m -> new Invalid(config, m));
    });
  }

  private static Arbitrary<Config> models(boolean seq2seq) {
    Arbitrary<Cell> cells = Arbitraries.of(Cell.class);
    Arbitrary<Integer> hidden = Arbitraries.integers().between(1, 8);
    Arbitrary<Integer> layers = Arbitraries.integers().between(1, 3);
    Arbitrary<Integer> maxSteps = Arbitraries.integers().between(1, 10);
    Arbitrary<Integer> batch = Arbitraries.integers().between(2, 3);
    Arbitrary<Long> seed = Arbitraries.longs();
    return Combinators.combine(cells, hidden, layers, maxSteps, batch, seed).flatAs((cell, h, l, steps, b, s) -> {
      Arbitrary<Stack> decoder = stack(l, false);
      Arbitrary<Stack> encoder = seq2seq ? stack(l, true) : Arbitraries.<Stack>just(null);
      Arbitrary<Integer> condition = seq2seq ? Arbitraries.just(0) : Arbitraries.integers().between(1, 8);
      return Combinators.combine(encoder, decoder, condition).flatAs((enc, dec, c) -> {
        Arbitrary<Integer> ids = Arbitraries.integers().between(0, dec.vocab() - 1);
        return Combinators.combine(ids, ids).filter((start, end) -> !start.equals(end))
            .as((start, end) -> new Config(cell, h, l, enc, dec, c, start, end, steps, b, s));
      });
    });
  }

  /** A stack of {@code layers}; bidirectional only if {@code mayBeBidirectional} (a seq2seq encoder). */
  private static Arbitrary<Stack> stack(int layers, boolean mayBeBidirectional) {
    Arbitrary<Boolean> flags = Arbitraries.of(true, false);
    Arbitrary<Double> dropout = layers >= 2
        ? Arbitraries.oneOf(List.of(Arbitraries.just(0.0),
            Arbitraries.integers().between(10, 50).map(p -> p / 100.0)))
        : Arbitraries.just(0.0);
    return Combinators.combine(mayBeBidirectional ? flags : Arbitraries.just(false), flags, dropout,
            Arbitraries.integers().between(3, 12), Arbitraries.integers().between(1, 6))
        .as(Stack::new);
  }

  // ------------------------------------------------------------ sources

  /** The model as source, one annotation element per line; {@code mistake} replaces its element. */
  static JavaFileObject render(Config c, Mistake mistake) {
    List<String> lines = new ArrayList<>();
    lines.add("package demo;");
    lines.add("import dev.unroll.dsl.*;");
    annotate(lines, "", c.seq2seq() ? "Seq2Seq" : "OneToMany", List.of(
        element(mistake, "start", "start = " + c.start()),
        element(mistake, "end", "end = " + c.end()),
        element(mistake, "maxSteps", "maxSteps = " + c.maxSteps())));
    if (c.seq2seq()) {
      lines.add("interface Tiny {");
      stack(lines, "  ", c, c.encoder(), null);
      lines.add("  interface Encoder {}");
      stack(lines, "  ", c, c.decoder(), mistake);
      lines.add("  " + element(mistake, "output", "@Output(" + c.decoder().vocab() + ")"));
      lines.add("  interface Decoder {}");
      lines.add("}");
    } else {
      stack(lines, "", c, c.decoder(), mistake);
      lines.add(element(mistake, "condition", "@Condition(" + c.condition() + ")"));
      lines.add(element(mistake, "output", "@Output(" + c.decoder().vocab() + ")"));
      lines.add("interface Tiny {}");
    }
    return source("demo.Tiny", lines.toArray(String[]::new));
  }

  /** A stack's cell annotation and {@code @Embedding}, indented by {@code indent}. */
  private static void stack(List<String> lines, String indent, Config c, Stack s, Mistake mistake) {
    String annotation = switch (c.cell()) {
      case RNN_TANH, RNN_RELU -> "Rnn";
      case LSTM -> "Lstm";
      case GRU, GRU_RESET_BEFORE -> "Gru";
    };
    List<String> cellElements = new ArrayList<>();
    cellElements.add("hidden = " + c.hidden());
    cellElements.add("layers = " + c.layers());
    cellElements.add("bidirectional = " + s.bidirectional());
    cellElements.add("bias = " + s.bias());
    cellElements.add("dropout = " + s.dropout());
    switch (c.cell()) {
      case RNN_TANH -> cellElements.add("nonlinearity = Nonlinearity.TANH");
      case RNN_RELU -> cellElements.add("nonlinearity = Nonlinearity.RELU");
      case GRU -> cellElements.add("resetAfter = true");
      case GRU_RESET_BEFORE -> cellElements.add("resetAfter = false");
      case LSTM -> { }
    }
    annotate(lines, indent, annotation, cellElements);
    annotate(lines, indent, "Embedding", List.of("vocab = " + s.vocab(), "dim = " + s.dim()));
  }

  private static String element(Mistake mistake, String element, String valid) {
    return mistake != null && mistake.element().equals(element) ? mistake.written() : valid;
  }

  /** {@code @Name(} then one element per line, comma-separated, closed on the last. */
  private static void annotate(List<String> lines, String indent, String name, List<String> elements) {
    lines.add(indent + "@" + name + "(");
    for (int i = 0; i < elements.size(); i++) {
      lines.add(indent + "    " + elements.get(i) + (i < elements.size() - 1 ? "," : ")"));
    }
  }
}
