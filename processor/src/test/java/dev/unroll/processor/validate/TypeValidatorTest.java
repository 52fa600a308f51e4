package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The annotated type itself. */
class TypeValidatorTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "abstract class Tiny {}  | a class",
      "enum Tiny { A }         | an enum",
      "record Tiny(int a) {}   | a record",
      "@interface Tiny {}      | an annotation type"})
  void notAnInterface_isAnErrorOnTheType(String declaration, String phrase) {
    JavaFileObject source = source("demo.Tiny",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)",
        declaration);
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.not-interface] Tiny is " + phrase + ", but a model must be an interface "
            + "(the generated UnrolledTiny implements it); declare it as interface Tiny.")
        .inFile(source).onLineContaining(declaration);
  }

  @Test
  void genericInterface_isAnErrorOnTheInterface() {
    JavaFileObject source = source("demo.Tiny",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)",
        "interface Tiny<T, U> {}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.generic] Tiny declares type parameters <T, U>, "
            + "but a model interface cannot be generic; remove them.")
        .inFile(source).onLineContaining("interface Tiny<T, U>");
  }

  @Test
  void privateNestedInterface_isAnErrorOnTheInterface() {
    JavaFileObject source = source("demo.Outer",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "class Outer {",
        "  @Lstm(hidden = 8)",
        "  @Features(4)",
        "  @ManyToOne",
        "  @Output(2)",
        "  private interface Inner {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.private] Outer.Inner cannot be implemented by the generated "
            + "UnrolledOuter_Inner because Inner is private; make Inner package-private or public.")
        .inFile(source).onLineContaining("private interface Inner");
  }

  @Test
  void interfaceInsideAPrivateClass_isAnErrorNamingThatClass() {
    JavaFileObject source = source("demo.Outer",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "class Outer {",
        "  private static class Middle {",
        "    @Lstm(hidden = 8)",
        "    @Features(4)",
        "    @ManyToOne",
        "    @Output(2)",
        "    interface Inner {}",
        "  }",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("because Middle is private; make Middle package-private or public.")
        .inFile(source).onLineContaining("interface Inner");
  }

  @Test
  void packagePrivateAndNestedInterfaces_areFine() {
    Compilation compilation = compile(source("demo.Outer",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "public class Outer {",
        "  @Lstm(hidden = 8) @Features(4) @ManyToOne @Output(2)",
        "  interface PackagePrivate {}",
        "  @Lstm(hidden = 8) @Features(4) @ManyToOne @Output(2)",
        "  protected interface Protected {}",
        "  @Lstm(hidden = 8) @Features(4) @ManyToOne @Output(2)",
        "  public interface Public {}",
        "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFile("demo.UnrolledOuter_PackagePrivate").isPresent()).isTrue();
    assertThat(compilation.generatedSourceFile("demo.UnrolledOuter_Protected").isPresent()).isTrue();
    assertThat(compilation.generatedSourceFile("demo.UnrolledOuter_Public").isPresent()).isTrue();
  }
}
