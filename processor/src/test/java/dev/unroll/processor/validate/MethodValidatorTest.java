package dev.unroll.processor.validate;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Abstract methods the generated class would have to implement. */
class MethodValidatorTest {

  private static final String[] HEADER = {
      "package demo;",
      "import dev.unroll.dsl.*;",
      "import org.nd4j.linalg.api.ndarray.INDArray;",
      "@Lstm(hidden = 8) @Features(4) @ManyToOne @Output(2)"};

  private static JavaFileObject tinyWith(String... body) {
    String[] lines = new String[HEADER.length + body.length];
    System.arraycopy(HEADER, 0, lines, 0, HEADER.length);
    System.arraycopy(body, 0, lines, HEADER.length, body.length);
    return source("demo.Tiny", lines);
  }

  @Test
  void unknownAbstractMethod_isAnErrorOnTheMethod() {
    JavaFileObject source = tinyWith(
        "interface Tiny {",
        "  INDArray forward(INDArray x);",
        "  void foo(int n);",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.method] Tiny declares abstract method foo(int) that the generated class "
            + "cannot implement; make it a default method or remove it.")
        .inFile(source).onLineContaining("void foo(int n)");
  }

  @Test
  void abstractMethodWithTheRightNameButOtherParameters_isAnError() {
    JavaFileObject source = tinyWith(
        "interface Tiny {",
        "  INDArray forward(INDArray x, int[] lengths);",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.method] Tiny declares abstract method forward(INDArray, int[])")
        .inFile(source).onLineContaining("forward(INDArray x, int[] lengths)");
  }

  @Test
  void inheritedUnknownAbstractMethod_isAnErrorOnTheInterfaceNamingItsOrigin() {
    JavaFileObject base = source("demo.Base",
        "package demo;",
        "interface Base {",
        "  String describe(java.util.List<String> parts);",
        "}");
    JavaFileObject source = tinyWith("interface Tiny extends Base {}");
    Compilation compilation = compile(base, source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.inherited-method] Tiny inherits abstract method describe(List) from demo.Base "
            + "that the generated class cannot implement; override it with a default method in Tiny.")
        .inFile(source).onLineContaining("interface Tiny extends Base");
  }

  @Test
  void inheritedAbstractMethodOverriddenByADefault_isFine() {
    JavaFileObject base = source("demo.Base",
        "package demo;",
        "interface Base {",
        "  int size();",
        "}");
    Compilation compilation = compile(base, tinyWith(
        "interface Tiny extends Base {",
        "  @Override default int size() { return 8; }",
        "}"));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void recurrentModelMethods_defaultAndStaticMethods_andObjectMethods_areFine() {
    Compilation compilation = compile(tinyWith(
        "interface Tiny extends dev.unroll.runtime.RecurrentModel {",
        "  INDArray forward(INDArray x);",
        "  INDArray forward(INDArray x, INDArray mask);",
        "  dev.unroll.runtime.Gradients gradients(INDArray x, INDArray y);",
        "  dev.unroll.runtime.Gradients gradients(INDArray x, INDArray y, INDArray mask);",
        "  java.util.Map<String, INDArray> parameters();",
        "  org.nd4j.linalg.api.buffer.DataType dataType();",
        "  dev.unroll.runtime.ModelConfig config();",
        "  dev.unroll.runtime.RecurrentModel replica();",
        "  String toString();",
        "  int hashCode();",
        "  boolean equals(Object other);",
        "  default INDArray predict(INDArray x) { return forward(x).argMax(-1); }",
        "  static int classes() { return 2; }",
        "}"));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void genericSuperInterfaceMethod_isComparedAfterSubstitution() {
    JavaFileObject base = source("demo.Base",
        "package demo;",
        "interface Base<T> {",
        "  T forward(T x);",
        "}");
    Compilation compilation = compile(base, tinyWith("interface Tiny extends Base<INDArray> {}"));
    assertThat(compilation).succeededWithoutWarnings();
  }
}
