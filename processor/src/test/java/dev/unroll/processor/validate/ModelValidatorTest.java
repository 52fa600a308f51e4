package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.source;
import static dev.unroll.processor.validate.Fixtures.tiny;
import static dev.unroll.processor.validate.Fixtures.validate;

import com.google.testing.compile.Compilation;
import dev.unroll.processor.model.CellKind;
import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.ReaderSpec;
import dev.unroll.processor.model.TopologyKind;
import dev.unroll.processor.model.UnrollPlan;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The validate stage as a whole: complete models, several errors, several interfaces. */
class ModelValidatorTest {

  @Test
  void validInterface_givesACompleteModel() {
    List<ModelValidator.Result> results = validate(source("demo.Tagger",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "@Gru(hidden = 32, layers = 2, bidirectional = true, bias = false, dropout = 0.1, resetAfter = false)",
        "@Embedding(vocab = 500, dim = 16)",
        "@ManyToMany",
        "@Output(12)",
        "@Unroll(factor = 4)",
        "public interface Tagger {}"));
    assertThat(results).hasSize(1);
    assertThat(results.get(0).diagnostics().reports()).isEmpty();
    ReaderSpec spec = results.get(0).model().orElseThrow();
    assertThat(spec.origin().getQualifiedName().toString()).isEqualTo("demo.Tagger");
    assertThat(new ReaderSpec(null, spec.packageName(), spec.interfaceName(), spec.cell(), spec.hidden(),
        spec.layers(), spec.bidirectional(), spec.bias(), spec.dropout(), spec.input(), spec.topology(),
        spec.output(), spec.unroll()))
        .isEqualTo(new ReaderSpec(null, "demo", "Tagger", CellKind.GRU_RESET_BEFORE, 32, 2, true, false, 0.1,
            new InputSpec.Embedding(500, 16), TopologyKind.MANY_TO_MANY, 12, new UnrollPlan.Factor(4)));
  }

  @Test
  void nestedInterface_isNamedRelativeToItsPackage() {
    ReaderSpec spec = validate(source("demo.Outer",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "class Outer {",
        "  @Lstm(hidden = 8) @Features(4) @ManyToOne @Output(2)",
        "  interface Inner {}",
        "}")).get(0).model().orElseThrow();
    assertThat(spec.packageName()).isEqualTo("demo");
    assertThat(spec.interfaceName()).isEqualTo("Outer.Inner");
    assertThat(spec.generatedSimpleName()).isEqualTo("UnrolledOuter_Inner");
  }

  @Test
  void interfaceInTheUnnamedPackage_hasAnEmptyPackageName() {
    ReaderSpec spec = validate(source("Tiny",
        "import dev.unroll.dsl.*;",
        "@Lstm(hidden = 8) @Features(4) @ManyToOne @Output(2)",
        "interface Tiny {}")).get(0).model().orElseThrow();
    assertThat(spec.packageName()).isEmpty();
    assertThat(spec.interfaceName()).isEqualTo("Tiny");
  }

  @Test
  void threeMistakes_areThreeErrors() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 0)",
        "@Features(-2)",
        "@ManyToOne",
        "@Output(0)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation).hadErrorContaining("[unroll.hidden]").inFile(source).onLineContaining("hidden = 0");
    assertThat(compilation).hadErrorContaining("[unroll.features]").inFile(source).onLineContaining("@Features(-2)");
    assertThat(compilation).hadErrorContaining("[unroll.output]").inFile(source).onLineContaining("@Output(0)");
  }

  @Test
  void onlyFeatures_isStillAModel_andReportsEveryMissingPart() {
    JavaFileObject source = tiny("@Features(4)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation).hadErrorContaining("[unroll.no-cell]").inFile(source).onLineContaining("interface Tiny");
    assertThat(compilation).hadErrorContaining("[unroll.no-topology]").inFile(source).onLineContaining("interface Tiny");
    assertThat(compilation).hadErrorContaining("[unroll.no-output]").inFile(source).onLineContaining("interface Tiny");
  }

  @Test
  void twoInvalidInterfaces_bothReport() {
    JavaFileObject first = source("demo.First",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "@Lstm(hidden = -1) @Features(4) @ManyToOne @Output(2)",
        "interface First {}");
    JavaFileObject second = source("demo.Second",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "@Gru(hidden = 8) @Features(0) @ManyToOne @Output(2)",
        "interface Second {}");
    Compilation compilation = compile(first, second);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("[unroll.hidden]").inFile(first).onLineContaining("hidden = -1");
    assertThat(compilation).hadErrorContaining("[unroll.features]").inFile(second).onLineContaining("@Features(0)");
  }

  @Test
  void sameSources_giveTheSameDiagnosticsInTheSameOrder() {
    JavaFileObject[] sources = {
        source("demo.A", "package demo;", "import dev.unroll.dsl.*;",
            "@Lstm(hidden = 0, layers = 0, dropout = 2) @Features(0) @ManyToOne @ManyToMany @Output(0)",
            "@Unroll(steps = 0)",
            "interface A { void a(); void b(); }"),
        source("demo.B", "package demo;", "import dev.unroll.dsl.*;",
            "class B {",
            "  @Rnn(hidden = 1) @Lstm(hidden = 1) @Gru(hidden = 1) @Embedding(vocab = 0, dim = 0) interface C {}",
            "  @Output(1) @Features(1) private interface D<T> {}",
            "}")};
    List<String> first = texts(compile(sources));
    List<String> second = texts(compile(sources));
    assertThat(first).isNotEmpty();
    assertThat(second).containsExactlyElementsIn(first).inOrder();
    assertThat(first.get(0)).startsWith("ERROR demo/A.java:3:");
    // the topology is read first: it decides which validators run
    assertThat(first.get(0)).contains("[unroll.topology]");
    assertThat(first.get(1)).startsWith("ERROR demo/A.java:3:");
    assertThat(first.get(1)).contains("[unroll.hidden]");
  }

  private static List<String> texts(Compilation compilation) {
    return compilation.diagnostics().stream()
        .map(d -> d.getKind() + " " + d.getSource().getName() + ":" + d.getLineNumber() + ":"
            + d.getColumnNumber() + " " + d.getMessage(null))
        .filter(s -> s.startsWith(Diagnostic.Kind.ERROR.name()) || s.startsWith(Diagnostic.Kind.WARNING.name()))
        .toList();
  }
}
