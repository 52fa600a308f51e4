package dev.unroll.processor.codegen;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.unroll.processor.validate.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden generated sources, checked in under {@code src/test/resources/goldens/}. They are compared
 * both as syntax trees ({@code hasSourceEquivalentTo}) and as exact text, because the comparison of
 * trees ignores comments and the equation comments are part of the product. Rewrite them with
 * {@code mvn -pl processor test -Dunroll.updateGoldens=true} and review the diff like code.
 */
class GoldenTest {

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("ActivityClassifier", "@Lstm(hidden = 128, layers = 2) @Features(9) @ManyToOne @Output(3)", ""),
        Arguments.of("Tagger", "@Gru(hidden = 32, bidirectional = true) @Embedding(vocab = 100, dim = 16) "
            + "@ManyToMany @Output(12)", ""),
        Arguments.of("SpikeDetector", "@Rnn(hidden = 8, bias = false, nonlinearity = Nonlinearity.RELU) @Features(3) "
            + "@ManyToMany @Output(2)", ""),
        Arguments.of("FixedWindow", "@Gru(hidden = 16, resetAfter = false) @Features(4) @ManyToOne @Output(2) "
            + "@Unroll(steps = 5)", ""),
        Arguments.of("CharModel", "@Lstm(hidden = 64, layers = 2, dropout = 0.25) @Embedding(vocab = 65, dim = 32) "
            + "@ManyToMany @Output(65) @Unroll(factor = 4)", ""),
        Arguments.of("Forecaster", "@Gru(hidden = 32) @Features(4) @ManyToOne @Output(value = 6, loss = Loss.MSE)", ""),
        Arguments.of("Translator", "@Seq2Seq(start = 1, end = 2, maxSteps = 20)",
            " @Gru(hidden = 16, bidirectional = true) @Embedding(vocab = 40, dim = 8) interface Encoder {}"
                + " @Gru(hidden = 16) @Embedding(vocab = 30, dim = 8) @Output(30) interface Decoder {} "));
  }

  /** {@code demo.<name>}: the annotations above {@code public interface <name> { <body> }}. */
  private static JavaFileObject source(String name, String annotations, String body) {
    return JavaFileObjects.forSourceLines("demo." + name,
        "package demo;",
        "import dev.unroll.dsl.*;",
        annotations,
        "public interface " + name + " {" + body + "}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void generatedSourceMatchesGolden(String name, String annotations, String body) throws IOException {
    JavaFileObject source = source(name, annotations, body);
    Compilation compilation = Fixtures.compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    JavaFileObject generated = compilation.generatedSourceFile("demo.Unrolled" + name).orElseThrow();
    String text = generated.getCharContent(true).toString();

    Path golden = goldens().resolve("Unrolled" + name + ".java");
    if (Boolean.getBoolean("unroll.updateGoldens")) {
      Files.writeString(golden, text, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(golden), "missing golden " + golden
        + "; run mvn -pl processor test -Dunroll.updateGoldens=true and review it");
    String expected = Files.readString(golden, StandardCharsets.UTF_8);
    assertThat(compilation).generatedSourceFile("demo.Unrolled" + name)
        .hasSourceEquivalentTo(JavaFileObjects.forSourceString("demo.Unrolled" + name, expected));
    assertEquals(expected, text, "generated text of Unrolled" + name + " differs from " + golden
        + " (comments included); rerun with -Dunroll.updateGoldens=true and review the diff");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void generationIsDeterministic(String name, String annotations, String body) throws IOException {
    JavaFileObject source = source(name, annotations, body);
    String first = Fixtures.compile(source).generatedSourceFile("demo.Unrolled" + name).orElseThrow()
        .getCharContent(true).toString();
    String second = Fixtures.compile(source).generatedSourceFile("demo.Unrolled" + name).orElseThrow()
        .getCharContent(true).toString();
    assertWithMessage("two compilations of the same source").that(second).isEqualTo(first);
  }

  static Path goldens() {
    return Path.of(System.getProperty("unroll.goldens", "src/test/resources/goldens"));
  }
}
