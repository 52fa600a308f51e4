package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.tiny;
import static dev.unroll.processor.validate.Fixtures.validate;

import com.google.testing.compile.Compilation;
import dev.unroll.processor.model.InputSpec;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

class InputValidatorTest {

  @Test
  void noInputAnnotation_isAnErrorOnTheInterface() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.no-input] Tiny has no input annotation; add @Features(n)")
        .inFile(source).onLineContaining("interface Tiny");
  }

  @Test
  void featuresAndEmbedding_isAnErrorOnTheSecond() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Embedding(vocab = 100, dim = 4)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.input] Tiny has two input annotations, @Embedding and @Features; "
            + "keep exactly one")
        .inFile(source).onLineContaining("@Features(4)");
  }

  @Test
  void featuresZero_isAnErrorOnTheFeaturesValue() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(0)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.features] @Features must be at least 1 but is 0; "
            + "set it to the number of values per time step, e.g. @Features(9).")
        .inFile(source).onLineContaining("@Features(0)");
  }

  @Test
  void vocabNegative_isAnErrorOnTheVocabValue() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Embedding(",
        "    vocab = -1,",
        "    dim = 4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.vocab] @Embedding vocab must be at least 1 but is -1;")
        .inFile(source).onLineContaining("vocab = -1");
  }

  @Test
  void dimZero_isAnErrorOnTheDimValue() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Embedding(",
        "    vocab = 100,",
        "    dim = 0)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.dim] @Embedding dim must be at least 1 but is 0;")
        .inFile(source).onLineContaining("dim = 0");
  }

  @Test
  void vocabAndDimBothZero_areTwoErrors() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Embedding(",
        "    vocab = 0,",
        "    dim = 0)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("[unroll.vocab]").inFile(source).onLineContaining("vocab = 0");
    assertThat(compilation).hadErrorContaining("[unroll.dim]").inFile(source).onLineContaining("dim = 0");
  }

  @Test
  void features_mapsToFeaturesInput() {
    InputSpec input = validate(tiny("@Lstm(hidden = 8)", "@Features(9)", "@ManyToOne", "@Output(2)"))
        .get(0).model().orElseThrow().input();
    assertThat(input).isEqualTo(new InputSpec.Features(9));
  }

  @Test
  void embedding_mapsToEmbeddingInput() {
    InputSpec input = validate(tiny(
        "@Lstm(hidden = 8)", "@Embedding(vocab = 1000, dim = 32)", "@ManyToOne", "@Output(2)"))
        .get(0).model().orElseThrow().input();
    assertThat(input).isEqualTo(new InputSpec.Embedding(1000, 32));
  }
}
