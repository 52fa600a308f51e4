package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.tiny;
import static dev.unroll.processor.validate.Fixtures.validate;

import com.google.testing.compile.Compilation;
import dev.unroll.processor.model.UnrollPlan;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnrollValidatorTest {

  @Test
  void unrollWithNeitherStepsNorFactor_isAnErrorOnTheAnnotation() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)",
        "@Unroll");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.unroll-unset] @Unroll sets neither steps nor factor; set one")
        .inFile(source).onLineContaining("@Unroll");
  }

  @Test
  void unrollWithStepsAndFactor_isAnErrorOnTheAnnotation() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)",
        "@Unroll(steps = 16, factor = 4)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.unroll-both] @Unroll sets both steps = 16 and factor = 4; keep one")
        .inFile(source).onLineContaining("@Unroll");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -3})
  void stepsBelowOne_isAnErrorOnTheStepsValue(int steps) {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)",
        "@Unroll(",
        "    steps = " + steps + ")");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.unroll-steps] @Unroll steps must be at least 1 but is " + steps + ";")
        .inFile(source).onLineContaining("steps = " + steps);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 0, -2, 65})
  void factorOutsideTwoTo64_isAnErrorOnTheFactorValue(int factor) {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)",
        "@Unroll(",
        "    factor = " + factor + ")");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.unroll-factor] @Unroll factor must be between 2 and 64 but is " + factor + ";")
        .inFile(source).onLineContaining("factor = " + factor);
  }

  @Test
  void fullUnrollOverBudget_isAnErrorOnTheStepsValueNamingTheLimit() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8, layers = 2, bidirectional = true)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)",
        "@Unroll(",
        "    steps = 1025)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.unroll-budget] @Unroll(steps = 1025) would write out 4100 steps "
            + "(1025 steps x 2 layers x 2 directions; limit 4096); use @Unroll(factor = 4) instead, "
            + "or at most steps = 1024.")
        .inFile(source).onLineContaining("steps = 1025");
  }

  @Test
  void fullUnrollOverBudget_withOneLayer() {
    JavaFileObject source = tiny(
        "@Rnn(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)",
        "@Unroll(steps = 5000)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("would write out 5000 steps (5000 steps x 1 layer x 1 direction; limit 4096)")
        .inFile(source).onLineContaining("steps = 5000");
  }

  @Test
  void fullUnrollAtTheBudget_compiles() {
    assertThat(UnrollValidator.MAX_WRITTEN_OUT_STEPS).isEqualTo(4096);
    Compilation compilation = compile(tiny(
        "@Lstm(hidden = 8, layers = 2, bidirectional = true)",
        "@Features(4)",
        "@ManyToOne",
        "@Output(2)",
        "@Unroll(steps = 1024)"));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void unroll_mapsToThePlan() {
    assertThat(plan()).isEqualTo(new UnrollPlan.Loop());
    assertThat(plan("@Unroll(steps = 32)")).isEqualTo(new UnrollPlan.Full(32));
    assertThat(plan("@Unroll(factor = 4)")).isEqualTo(new UnrollPlan.Factor(4));
    assertThat(plan("@Unroll(steps = 7, factor = 0)")).isNull();
  }

  private static UnrollPlan plan(String... unroll) {
    String[] lines = new String[4 + unroll.length];
    lines[0] = "@Gru(hidden = 8)";
    lines[1] = "@Features(4)";
    lines[2] = "@ManyToMany";
    lines[3] = "@Output(2)";
    System.arraycopy(unroll, 0, lines, 4, unroll.length);
    return validate(tiny(lines)).get(0).model().map(s -> s.unroll()).orElse(null);
  }
}
