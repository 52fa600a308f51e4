package dev.unroll.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.source;
import static dev.unroll.processor.validate.Fixtures.tiny;

import com.google.testing.compile.Compilation;
import dev.unroll.processor.codegen.ReaderClassGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.SourceVersion;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

class UnrollProcessorTest {

  @Test
  void supportsExactlyTheDslAnnotations_andTheLatestSourceVersion() {
    UnrollProcessor processor = new UnrollProcessor();
    assertThat(processor.getSupportedAnnotationTypes()).containsExactly(
        "dev.unroll.dsl.Rnn", "dev.unroll.dsl.Lstm", "dev.unroll.dsl.Gru",
        "dev.unroll.dsl.Features", "dev.unroll.dsl.Embedding",
        "dev.unroll.dsl.ManyToOne", "dev.unroll.dsl.ManyToMany",
        "dev.unroll.dsl.Output", "dev.unroll.dsl.Unroll",
        "dev.unroll.dsl.OneToMany", "dev.unroll.dsl.Seq2Seq", "dev.unroll.dsl.Condition");
    assertThat(processor.getSupportedSourceVersion()).isEqualTo(SourceVersion.latestSupported());
  }

  @Test
  void isRegisteredAsAServiceAndAsAnIsolatingGradleProcessor() throws IOException {
    assertThat(resource("META-INF/services/javax.annotation.processing.Processor"))
        .contains("dev.unroll.processor.UnrollProcessor");
    assertThat(resource("META-INF/gradle/incremental.annotation.processors").strip())
        .isEqualTo("dev.unroll.processor.UnrollProcessor,isolating");
  }

  @Test
  void validModel_compilesWithoutWarnings_andGeneratesUnrolledName() {
    Compilation compilation = compile(tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFile("demo.UnrolledTiny").isPresent()).isTrue();
  }

  @Test
  void nestedInterface_generatesOuterUnderscoreInner() {
    Compilation compilation = compile(source("demo.Outer",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "public class Outer {",
        "  @Gru(hidden = 8) @Embedding(vocab = 10, dim = 4) @ManyToMany @Output(10)",
        "  public interface Inner {}",
        "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFile("demo.UnrolledOuter_Inner").isPresent()).isTrue();
  }

  @Test
  void modelWithErrors_generatesNothing_whileAValidNeighbourStillGenerates() {
    JavaFileObject broken = tiny(
        "@Lstm(hidden = 0)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    JavaFileObject fine = source("demo.Fine",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "@Rnn(hidden = 4) @Features(2) @ManyToOne @Output(2)",
        "interface Fine {}");
    List<String> generated = new ArrayList<>();
    Compilation compilation = javac()
        .withProcessors(new UnrollProcessor(spec -> {
          generated.add(spec.interfaceName());
          return new ReaderClassGenerator().generate(spec);
        }))
        .compile(broken, fine);
    assertThat(compilation).hadErrorCount(1);
    assertThat(generated).containsExactly("Fine");
  }

  @Test
  void crashInALaterStage_isAnInternalErrorOnTheInterface_andTheRoundGoesOn() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)");
    Compilation compilation = javac()
        .withProcessors(new UnrollProcessor(spec -> {
          throw new IllegalStateException("boom in " + spec.interfaceName());
        }))
        .compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.internal] unroll failed on demo.Tiny: "
            + "java.lang.IllegalStateException: boom in Tiny")
        .inFile(source).onLineContaining("interface Tiny");
    assertThat(compilation).hadErrorContaining("This is a bug in unroll; please report it.");
    assertThat(compilation).hadErrorContaining("at dev.unroll.processor.UnrollProcessor");
  }

  @Test
  void filerFailure_isAnErrorOnTheInterface() {
    // Outer.Inner and Outer_Inner both map to UnrolledOuter_Inner: the second write fails.
    JavaFileObject nested = source("demo.Outer",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "class Outer {",
        "  @Lstm(hidden = 8) @Features(4) @ManyToOne @Output(2)",
        "  interface Inner {}",
        "}");
    JavaFileObject flat = source("demo.Outer_Inner",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "@Lstm(hidden = 8) @Features(4) @ManyToOne @Output(2)",
        "interface Outer_Inner {}");
    Compilation compilation = compile(nested, flat);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.write] could not write demo.UnrolledOuter_Inner for demo.Outer_Inner: ")
        .inFile(flat).onLineContaining("interface Outer_Inner");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = UnrollProcessor.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
