package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.MethodSpec;
import dev.unroll.processor.math.CellMath;
import dev.unroll.processor.math.Equation;
import dev.unroll.processor.math.Phase;
import dev.unroll.processor.model.CellKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * A cell's element-wise loops as methods: each {@link Phase.Elements} of a step becomes a float
 * and a double method over batch rows and units ({@code lstmStepFloat}, {@code lstmStepDouble}),
 * called from the layer's step by the model's data type with the layer's {@code RowBuffer}s, bound
 * to the step's arrays. The methods depend on the cell only, so every layer, direction and stack
 * shares them; their comments write time forward ({@code h_{t-1}}: the state the step starts from,
 * which a reverse direction's step calls {@code h_{t+1}}).
 */
final class CellLoops {
  private final CellKind cell;
  /** "NoBias" where a bias-free layer's loops differ from a biased one's (GRU's b_hn), else "". */
  private final String variant;

  CellLoops(CellKind cell, CellMath math, boolean bias) {
    this.cell = cell;
    boolean differ = !elements(math.forward(true)).equals(elements(math.forward(false)))
        || !elements(math.backward(true)).equals(elements(math.backward(false)));
    this.variant = !bias && differ ? "NoBias" : "";
  }

  private static List<Phase> elements(List<Phase> phases) {
    return phases.stream().filter(p -> p instanceof Phase.Elements).toList();
  }

  /** The call of loop {@code index} (of {@code count}) of a pass, in the model's precision. */
  CodeBlock call(Phase.Elements loop, String pass, int index, int count) {
    String args = operands(loop).stream().map(CellLoops::rowBufferField).collect(Collectors.joining(", "));
    return CodeBlock.builder()
        .beginControlFlow("if (dataType == $T.FLOAT)", Names.DATA_TYPE)
        .addStatement("$L($L)", methodName(pass, index, count, Precision.FLOAT), args)
        .nextControlFlow("else")
        .addStatement("$L($L)", methodName(pass, index, count, Precision.DOUBLE), args)
        .endControlFlow()
        .build();
  }

  /** The row buffer of array {@code name} in a step and in the loop methods: {@code aRows}. */
  static String rowBufferField(String name) {
    return name + "Rows";
  }

  /** The arrays an element loop binds, each once: read once, read per row, written per row. */
  static List<String> operands(Phase.Elements loop) {
    Set<String> out = new LinkedHashSet<>(loop.once());
    out.addAll(loop.reads());
    out.addAll(loop.writes());
    return new ArrayList<>(out);
  }

  /** Adds the methods of the element loops among {@code phases}, a float and a double one each. */
  void methods(List<MethodSpec> out, List<Phase> phases, String pass) {
    List<Phase.Elements> loops = phases.stream().filter(p -> p instanceof Phase.Elements)
        .map(Phase.Elements.class::cast).toList();
    for (int i = 0; i < loops.size(); i++) {
      for (Precision p : Precision.values()) {
        out.add(method(methodName(pass, i, loops.size(), p), loops.get(i), pass, p));
      }
    }
  }

  /** {@code lstmStepFloat}, {@code gruBackStep1Double}: one per cell, pass and loop, whatever the layer. */
  private String methodName(String pass, int index, int count, Precision p) {
    String kind = cell.shortName().toLowerCase(Locale.ROOT);
    return kind + pass + variant + (count > 1 ? String.valueOf(index) : "")
        + (p == Precision.FLOAT ? "Float" : "Double");
  }

  /**
   * One element loop as a method in one precision. The float form carries the equations as
   * comments; the double form, the same statements over double rows, points to it.
   */
  private MethodSpec method(String name, Phase.Elements loop, String pass, Precision p) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE);
    if (p == Precision.FLOAT) {
      m.addJavadoc("The element-wise part of a $L step, every row, in float arithmetic (FLOAT models).\n",
          pass.equals("Step") ? "forward" : "backward");
    } else {
      m.addJavadoc("{@link #$L} in double arithmetic, for DOUBLE models.\n", name.replace("Double", "Float"));
    }
    for (String a : operands(loop)) {
      m.addParameter(Names.ROW_BUFFER, rowBufferField(a));
    }
    CodeBlock.Builder code = CodeBlock.builder();
    if (loop.equations().stream().anyMatch(Equation::perRow)) {
      if (p == Precision.FLOAT) {
        code.add("// σ and tanh over runs of units, in float-accurate rational forms\n");
      }
      code.addStatement("$T act = $T.$L", Names.ACTIVATIONS, Names.ACTIVATIONS,
          p == Precision.FLOAT ? "FLOAT32" : "FLOAT64");
    }
    code.add(rowLoop(loop, p));
    return m.addCode(code.build()).build();
  }

  /**
   * The two forms of an element loop: a model's data type is chosen at run time, and a FLOAT model's
   * rows are read, computed and written as floats (no conversion each way, twice the SIMD lanes).
   */
  private enum Precision {
    FLOAT("float", "readFloats", "floatRow", "writeFloats"),
    DOUBLE("double", "read", "row", "write");

    final String type;
    final String read;
    final String row;
    final String write;

    Precision(String type, String read, String row, String write) {
      this.type = type;
      this.read = read;
      this.row = row;
      this.write = write;
    }

    /** A cell statement in this precision: its {@code double} locals become {@code float} ones. */
    String statement(String s) {
      return this == DOUBLE ? s : s.replaceAll("\\bdouble\\b", type);
    }
  }

  /** One loop over batch rows, then units, of an element phase, in one precision. */
  private CodeBlock rowLoop(Phase.Elements loop, Precision p) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (String once : loop.once()) {
      code.addStatement("$L[] $L = $N.$L(0)", p.type, once, rowBufferField(once), p.read);
    }
    Set<String> arrays = new LinkedHashSet<>(loop.reads());
    arrays.addAll(loop.writes());
    code.beginControlFlow("for (int b = 0; b < batch; b++)");
    for (String a : arrays) {
      if (loop.reads().contains(a)) {
        code.addStatement("$L[] $L = $N.$L(b)", p.type, a, rowBufferField(a), p.read);
      } else {
        code.addStatement("$L[] $L = $N.$L()", p.type, a, rowBufferField(a), p.row);
      }
    }
    boolean inUnitLoop = false;
    for (Equation e : loop.equations()) {
      if (e.perRow() && inUnitLoop) {
        code.endControlFlow();
        inUnitLoop = false;
      } else if (!e.perRow() && !inUnitLoop) {
        code.beginControlFlow("for (int k = 0; k < HIDDEN; k++)");
        inUnitLoop = true;
      }
      if (p == Precision.FLOAT) {
        code.add("// $L\n", e.equation());
      }
      for (String s : e.statements()) {
        code.add(Statements.ops(p.statement(s)));
      }
    }
    if (inUnitLoop) {
      code.endControlFlow();
    }
    for (String a : loop.writes()) {
      code.addStatement("$N.$L(b)", rowBufferField(a), p.write);
    }
    code.endControlFlow();
    return code.build();
  }

}
