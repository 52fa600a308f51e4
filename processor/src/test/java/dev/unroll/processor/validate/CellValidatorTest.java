package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.tiny;
import static dev.unroll.processor.validate.Fixtures.validate;

import com.google.testing.compile.Compilation;
import dev.unroll.processor.model.CellKind;
import dev.unroll.processor.model.ReaderSpec;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CellValidatorTest {

  @Test
  void noCellAnnotation_isAnErrorOnTheInterface() {
    JavaFileObject source = tiny(
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.no-cell] Tiny has no cell annotation; add one of @Rnn, @Lstm or @Gru")
        .inFile(source).onLineContaining("interface Tiny");
  }

  @Test
  void twoCellAnnotations_isAnErrorOnTheSecondNamingBoth() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Gru(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.cell] Tiny has two cell annotations, @Lstm and @Gru; keep exactly one.")
        .inFile(source).onLineContaining("@Gru");
  }

  @Test
  void threeCellAnnotations_areAnErrorOnEachExtraOne() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Gru(hidden = 8)",
        "@Rnn(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("[unroll.cell] Tiny has two cell annotations, @Lstm and @Gru;")
        .inFile(source).onLineContaining("@Gru");
    assertThat(compilation)
        .hadErrorContaining("[unroll.cell] Tiny has three cell annotations, @Lstm, @Gru and @Rnn;")
        .inFile(source).onLineContaining("@Rnn");
  }

  @Test
  void hiddenZero_isAnErrorOnTheHiddenValue() {
    JavaFileObject source = tiny(
        "@Lstm(",
        "    hidden = 0)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.hidden] @Lstm hidden must be at least 1 but is 0; "
            + "set it to the state size, e.g. @Lstm(hidden = 128).")
        .inFile(source).onLineContaining("hidden = 0");
  }

  @Test
  void layersZero_isAnErrorOnTheLayersValue() {
    JavaFileObject source = tiny(
        "@Gru(hidden = 8,",
        "    layers = 0)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.layers] @Gru layers must be at least 1 but is 0;")
        .inFile(source).onLineContaining("layers = 0");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1.0         | 1.0",
      "-0.1        | -0.1",
      "Double.NaN  | NaN",
      "1.5         | 1.5"})
  void dropoutOutsideZeroToOne_isAnErrorOnTheDropoutValue(String written, String shown) {
    JavaFileObject source = tiny(
        "@Rnn(hidden = 8, layers = 2,",
        "    dropout = " + written + ")",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadWarningCount(0);
    assertThat(compilation)
        .hadErrorContaining("[unroll.dropout-range] @Rnn dropout must be in [0, 1) but is " + shown + ";")
        .inFile(source).onLineContaining("dropout = " + written);
  }

  @Test
  void dropoutWithOneLayer_isAWarningOnTheDropoutValue_andStillGenerates() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8,",
        "    dropout = 0.2)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation)
        .hadWarningContaining("[unroll.dropout] dropout = 0.2 does nothing with layers = 1 "
            + "(it acts between stacked layers); remove it or set layers >= 2.")
        .inFile(source).onLineContaining("dropout = 0.2");
    assertThat(compilation.generatedSourceFile("demo.UnrolledTiny").isPresent()).isTrue();
  }

  @Test
  void dropoutWithTwoLayers_isFine() {
    Compilation compilation = compile(tiny(
        "@Lstm(hidden = 8, layers = 2, dropout = 0.2)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)"));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "@Rnn(hidden = 8)                                         | RNN_TANH",
      "@Rnn(hidden = 8, nonlinearity = Nonlinearity.TANH)       | RNN_TANH",
      "@Rnn(hidden = 8, nonlinearity = Nonlinearity.RELU)       | RNN_RELU",
      "@Lstm(hidden = 8)                                        | LSTM",
      "@Gru(hidden = 8)                                         | GRU",
      "@Gru(hidden = 8, resetAfter = true)                      | GRU",
      "@Gru(hidden = 8, resetAfter = false)                     | GRU_RESET_BEFORE"})
  void cellAnnotation_mapsToItsCellKind(String annotation, CellKind expected) {
    ReaderSpec spec = validate(tiny(annotation, "@Features(4)", "@ManyToOne", "@Output(2)"))
        .get(0).model().orElseThrow();
    assertThat(spec.cell()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Rnn", "Lstm", "Gru"})
  void cellValues_andDefaults_reachTheModel(String cell) {
    ReaderSpec defaults = validate(tiny("@" + cell + "(hidden = 16)", "@Features(4)", "@ManyToOne", "@Output(2)"))
        .get(0).model().orElseThrow();
    assertThat(defaults.hidden()).isEqualTo(16);
    assertThat(defaults.layers()).isEqualTo(1);
    assertThat(defaults.bidirectional()).isFalse();
    assertThat(defaults.bias()).isTrue();
    assertThat(defaults.dropout()).isEqualTo(0.0);

    ReaderSpec set = validate(tiny(
        "@" + cell + "(hidden = 16, layers = 3, bidirectional = true, bias = false, dropout = 0.25)",
        "@Features(4)", "@ManyToOne", "@Output(2)"))
        .get(0).model().orElseThrow();
    assertThat(set.layers()).isEqualTo(3);
    assertThat(set.bidirectional()).isTrue();
    assertThat(set.bias()).isFalse();
    assertThat(set.dropout()).isEqualTo(0.25);
  }

  @ParameterizedTest
  @ValueSource(strings = {"@Lstm", "@Lstm(hidden = \"eight\")", "@Lstm(hidden = Missing.SIZE)"})
  void valueJavacAlreadyRejects_isNotReportedAgain(String cell) {
    JavaFileObject source = tiny(
        cell,
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation.errors().get(0).getMessage(null)).doesNotContain("[unroll.");
  }
}
