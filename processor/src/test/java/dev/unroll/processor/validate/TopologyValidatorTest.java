package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.tiny;
import static dev.unroll.processor.validate.Fixtures.validate;

import com.google.testing.compile.Compilation;
import dev.unroll.processor.model.LossKind;
import dev.unroll.processor.model.ReaderSpec;
import dev.unroll.processor.model.TopologyKind;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Topology and output annotations. */
class TopologyValidatorTest {

  @Test
  void noTopologyAnnotation_isAnErrorOnTheInterface() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.no-topology] Tiny has no topology annotation; add @ManyToOne")
        .inFile(source).onLineContaining("interface Tiny");
  }

  @Test
  void manyToOneAndManyToMany_isAnErrorOnTheSecond() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@ManyToMany",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.topology] Tiny has two topology annotations, @ManyToOne and @ManyToMany; "
            + "keep exactly one")
        .inFile(source).onLineContaining("@ManyToMany");
  }

  @Test
  void noOutputAnnotation_isAnErrorOnTheInterface() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToMany");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.no-output] Tiny has no @Output; add @Output(n) with the number of classes")
        .inFile(source).onLineContaining("interface Tiny");
  }

  @Test
  void outputZero_isAnErrorOnTheOutputValue() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(0)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.output] @Output must be at least 1 but is 0; "
            + "set it to the number of classes, e.g. @Output(10).")
        .inFile(source).onLineContaining("@Output(0)");
  }

  @Test
  void topologyAndOutput_reachTheModel() {
    ReaderSpec one = validate(tiny("@Lstm(hidden = 8)", "@Features(4)", "@ManyToOne", "@Output(3)"))
        .get(0).model().orElseThrow();
    assertThat(one.topology()).isEqualTo(TopologyKind.MANY_TO_ONE);
    assertThat(one.output()).isEqualTo(3);
    ReaderSpec many = validate(tiny("@Lstm(hidden = 8)", "@Features(4)", "@ManyToMany", "@Output(7)"))
        .get(0).model().orElseThrow();
    assertThat(many.topology()).isEqualTo(TopologyKind.MANY_TO_MANY);
    assertThat(many.output()).isEqualTo(7);
  }

  @Test
  void mseLoss_reachesTheModel_andCrossEntropyIsTheDefault() {
    ReaderSpec mse = validate(tiny("@Gru(hidden = 8)", "@Features(4)", "@ManyToMany",
        "@Output(value = 2, loss = Loss.MSE)")).get(0).model().orElseThrow();
    assertThat(mse.loss()).isEqualTo(LossKind.MSE);
    assertThat(mse.regression()).isTrue();
    ReaderSpec ce = validate(tiny("@Gru(hidden = 8)", "@Features(4)", "@ManyToOne", "@Output(3)"))
        .get(0).model().orElseThrow();
    assertThat(ce.loss()).isEqualTo(LossKind.CROSS_ENTROPY);
    ReaderSpec explicit = validate(tiny("@Gru(hidden = 8)", "@Features(4)", "@ManyToOne",
        "@Output(value = 3, loss = Loss.CROSS_ENTROPY)")).get(0).model().orElseThrow();
    assertThat(explicit.loss()).isEqualTo(LossKind.CROSS_ENTROPY);
  }

  @Test
  void mseManyToOneAndManyToMany_compileWithoutWarnings() {
    assertThat(compile(tiny("@Lstm(hidden = 8)", "@Features(4)", "@ManyToOne",
        "@Output(value = 3, loss = Loss.MSE)"))).succeededWithoutWarnings();
    assertThat(compile(tiny("@Gru(hidden = 8, bidirectional = true)", "@Features(4)", "@ManyToMany",
        "@Output(value = 1, loss = Loss.MSE)"))).succeededWithoutWarnings();
  }

  @Test
  void mseOutputZero_isAnErrorOnTheOutputValue() {
    JavaFileObject source = tiny("@Lstm(hidden = 8)", "@Features(4)", "@ManyToOne",
        "@Output(value = 0, loss = Loss.MSE)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[unroll.output] @Output must be at least 1 but is 0")
        .inFile(source).onLineContaining("value = 0");
  }

  @Test
  void mseOnOneToMany_isAnErrorOnTheLossElement() {
    JavaFileObject source = tiny(
        "@OneToMany(start = 1, end = 2, maxSteps = 10)",
        "@Gru(hidden = 8)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Condition(5)",
        "@Output(value = 20,",
        "    loss = Loss.MSE)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.loss-topology] @Output(loss = Loss.MSE) is for @ManyToOne and @ManyToMany "
            + "models, but Tiny is @OneToMany, which generates tokens by softmax; remove loss = Loss.MSE")
        .inFile(source).onLineContaining("loss = Loss.MSE)");
  }

  @Test
  void mseOnASeq2SeqDecoder_isAnErrorOnTheLossElement() {
    JavaFileObject source = Fixtures.source("demo.Translator",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "public interface Translator {",
        "  @Gru(hidden = 8) @Embedding(vocab = 30, dim = 6) interface Encoder {}",
        "  @Gru(hidden = 8) @Embedding(vocab = 20, dim = 5)",
        "  @Output(value = 20, loss = Loss.MSE) interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.loss-topology] @Output(loss = Loss.MSE) is for @ManyToOne and @ManyToMany "
            + "models, but Translator.Decoder is the Decoder of a @Seq2Seq model")
        .inFile(source).onLineContaining("loss = Loss.MSE");
  }
}
