package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.source;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random configurations, each compiled by javac with the processor: every valid one compiles without
 * errors or warnings, and one invalid value among valid ones gives exactly one error, on its line.
 */
class ModelValidatorPropertyTest {

  enum Cell { RNN_TANH, RNN_RELU, LSTM, GRU, GRU_RESET_BEFORE }

  /** {@code features > 0} for {@code @Features}, else {@code @Embedding(vocab, dim)}; steps/factor 0 = unset. */
  record Config(Cell cell, int hidden, int layers, boolean bidirectional, boolean bias, double dropout,
      int features, int vocab, int dim, boolean manyToMany, int output, int steps, int factor) {

    int directions() {
      return bidirectional ? 2 : 1;
    }

    /** The most full-unroll steps within budget for this stack. */
    int maxSteps() {
      return UnrollValidator.MAX_WRITTEN_OUT_STEPS / (layers * directions());
    }
  }

  /** One element set to an invalid value: its written form, and the error tag it must raise. */
  record Mistake(String element, String written, String tag) {}

  @Property(tries = 50)
  void validConfigurations_compileWithoutErrorsOrWarningsAndRun(@ForAll("valid") Config config) throws Exception {
    Compilation compilation = compile(render(config, null));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFile("demo.UnrolledTiny").isPresent()).isTrue();
    if (config.steps() <= 64) {
      GeneratedModels.run(compilation, "demo.UnrolledTiny", config.features(), config.vocab(), config.output(),
          config.manyToMany(), config.steps() > 0 ? config.steps() : 1 + config.hidden() % 7);
    }
  }

  @Property(tries = 50)
  void oneInvalidValue_isExactlyOneErrorOnItsLine(@ForAll("invalid") Invalid invalid) {
    JavaFileObject source = render(invalid.config(), invalid.mistake());
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadWarningCount(0);
    assertThat(compilation).hadErrorContaining(invalid.mistake().tag())
        .inFile(source).onLineContaining(invalid.mistake().written());
  }

  record Invalid(Config config, Mistake mistake) {}

  @Provide
  Arbitrary<Config> valid() {
    Arbitrary<Cell> cells = Arbitraries.of(Cell.class);
    Arbitrary<Integer> hidden = Arbitraries.integers().between(1, 64);
    Arbitrary<Integer> layers = Arbitraries.integers().between(1, 3);
    Arbitrary<Boolean> flags = Arbitraries.of(true, false);
    return Combinators.combine(cells, hidden, layers, flags, flags, flags, Arbitraries.integers().between(1, 10))
        .flatAs((cell, h, l, bi, bias, manyToMany, out) -> {
          Arbitrary<Double> dropout = l >= 2 ? Arbitraries.of(0.0, 0.1, 0.25, 0.5, 0.9) : Arbitraries.just(0.0);
          Arbitrary<int[]> input = Arbitraries.oneOf(List.of(
              Arbitraries.integers().between(1, 32).map(f -> new int[] {f, 0, 0}),
              Combinators.combine(Arbitraries.integers().between(1, 1000), Arbitraries.integers().between(1, 32))
                  .as((v, d) -> new int[] {0, v, d})));
          int maxSteps = UnrollValidator.MAX_WRITTEN_OUT_STEPS / (l * (bi ? 2 : 1));
          Arbitrary<int[]> unroll = Arbitraries.oneOf(List.of(
              Arbitraries.just(new int[] {0, 0}),
              Arbitraries.integers().between(1, maxSteps).map(s -> new int[] {s, 0}),
              Arbitraries.integers().between(2, 16).map(k -> new int[] {0, k})));
          return Combinators.combine(dropout, input, unroll).as((d, in, u) ->
              new Config(cell, h, l, bi, bias, d, in[0], in[1], in[2], manyToMany, out, u[0], u[1]));
        });
  }

  @Provide
  Arbitrary<Invalid> invalid() {
    return valid().flatMap(config -> {
      Arbitrary<Integer> notPositive = Arbitraries.integers().between(-100, 0);
      List<Arbitrary<Mistake>> mistakes = new ArrayList<>(List.of(
          notPositive.map(v -> new Mistake("hidden", "hidden = " + v, "[unroll.hidden]")),
          notPositive.map(v -> new Mistake("layers", "layers = " + v, "[unroll.layers]")),
          Arbitraries.of("-0.5", "1.0", "1.5", "Double.NaN", "Double.POSITIVE_INFINITY")
              .map(v -> new Mistake("dropout", "dropout = " + v, "[unroll.dropout-range]")),
          notPositive.map(v -> new Mistake("output", "@Output(" + v + ")", "[unroll.output]")),
          notPositive.map(v -> new Mistake("steps", "steps = " + v, "[unroll.unroll-steps]")),
          Arbitraries.integers().between(-10, 1).map(v -> new Mistake("factor", "factor = " + v, "[unroll.unroll-factor]")),
          Arbitraries.integers().between(1, 100).map(extra ->
              new Mistake("steps", "steps = " + (config.maxSteps() + extra), "[unroll.unroll-budget]"))));
      if (config.features() > 0) {
        mistakes.add(notPositive.map(v -> new Mistake("features", "@Features(" + v + ")", "[unroll.features]")));
      } else {
        mistakes.add(notPositive.map(v -> new Mistake("vocab", "vocab = " + v, "[unroll.vocab]")));
        mistakes.add(notPositive.map(v -> new Mistake("dim", "dim = " + v, "[unroll.dim]")));
      }
      return Arbitraries.oneOf(mistakes).map(m -> new Invalid(config, m));
    });
  }

  /** The model as source, one annotation element per line; {@code mistake} replaces its element. */
  static JavaFileObject render(Config c, Mistake mistake) {
    List<String> lines = new ArrayList<>();
    lines.add("package demo;");
    lines.add("import dev.unroll.dsl.*;");
    String annotation = switch (c.cell()) {
      case RNN_TANH, RNN_RELU -> "Rnn";
      case LSTM -> "Lstm";
      case GRU, GRU_RESET_BEFORE -> "Gru";
    };
    List<String> cellElements = new ArrayList<>();
    cellElements.add(element(mistake, "hidden", "hidden = " + c.hidden()));
    cellElements.add(element(mistake, "layers", "layers = " + c.layers()));
    cellElements.add("bidirectional = " + c.bidirectional());
    cellElements.add("bias = " + c.bias());
    cellElements.add(element(mistake, "dropout", "dropout = " + c.dropout()));
    switch (c.cell()) {
      case RNN_TANH -> cellElements.add("nonlinearity = Nonlinearity.TANH");
      case RNN_RELU -> cellElements.add("nonlinearity = Nonlinearity.RELU");
      case GRU -> cellElements.add("resetAfter = true");
      case GRU_RESET_BEFORE -> cellElements.add("resetAfter = false");
      case LSTM -> { }
    }
    annotate(lines, annotation, cellElements);
    if (c.features() > 0) {
      lines.add(element(mistake, "features", "@Features(" + c.features() + ")"));
    } else {
      annotate(lines, "Embedding", List.of(
          element(mistake, "vocab", "vocab = " + c.vocab()),
          element(mistake, "dim", "dim = " + c.dim())));
    }
    lines.add(c.manyToMany() ? "@ManyToMany" : "@ManyToOne");
    lines.add(element(mistake, "output", "@Output(" + c.output() + ")"));
    if (mistake != null && (mistake.element().equals("steps") || mistake.element().equals("factor"))) {
      annotate(lines, "Unroll", List.of(mistake.written()));
    } else if (c.steps() > 0) {
      annotate(lines, "Unroll", List.of("steps = " + c.steps()));
    } else if (c.factor() > 0) {
      annotate(lines, "Unroll", List.of("factor = " + c.factor()));
    }
    lines.add("interface Tiny {}");
    return source("demo.Tiny", lines.toArray(String[]::new));
  }

  private static String element(Mistake mistake, String element, String valid) {
    return mistake != null && mistake.element().equals(element) ? mistake.written() : valid;
  }

  /** {@code @Name(} then one element per line, comma-separated, closed on the last. */
  private static void annotate(List<String> lines, String name, List<String> elements) {
    lines.add("@" + name + "(");
    for (int i = 0; i < elements.size(); i++) {
      lines.add("    " + elements.get(i) + (i < elements.size() - 1 ? "," : ")"));
    }
  }
}
