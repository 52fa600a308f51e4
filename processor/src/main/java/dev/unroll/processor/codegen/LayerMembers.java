package dev.unroll.processor.codegen;

import com.squareup.javapoet.ArrayTypeName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Members of the recurrent layers: work-buffer fields and their allocation for backpropagation,
 * the element loops' row buffers, the recurrent weights and fused ops, and the layers' methods.
 */
final class LayerMembers {
  private LayerMembers() {}

  /** The work-buffer fields, {@code INDArray} or {@code INDArray[]} of per-step views. */
  static void bufferFields(TypeSpec.Builder type, List<BufferField> buffers) {
    for (BufferField b : buffers) {
      TypeName t = b.perStep() ? ArrayTypeName.of(Names.INDARRAY) : Names.INDARRAY;
      FieldSpec.Builder f = FieldSpec.builder(t, b.name(), Modifier.PRIVATE);
      if (b.doc() != null) {
        f.addJavadoc("$L.\n", capitalize(b.doc()));
      }
      type.addField(f.build());
    }
  }

  /** The flag that says whether the gradient buffers fit the current shape. */
  static FieldSpec gradientBuffersSized() {
    return FieldSpec.builder(boolean.class, "gradientBuffersSized", Modifier.PRIVATE)
        .addJavadoc("Whether the gradient buffers fit the current shape (they are sized by the first "
            + "{@code gradients} call\nafter a change of shape, never for inference).\n").build();
  }

  /**
   * {@code allocateGradients()}: sizes the gradient buffers for the current shape once; {@code rows}
   * are the statements that define the row counts their sizes use.
   */
  static MethodSpec allocateGradients(List<CodeBlock> rows, List<BufferField> buffers) {
    MethodSpec.Builder m = MethodSpec.methodBuilder("allocateGradients").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Sizes the buffers that only backpropagation uses, once per shape.\n")
        .beginControlFlow("if (gradientBuffersSized)")
        .addStatement("return")
        .endControlFlow()
        .addStatement("gradientBuffersSized = true");
    rows.forEach(m::addStatement);
    for (BufferField b : buffers) {
      if (b.gradient()) {
        m.addStatement("$N = $L", b.name(), b.allocate());
      }
    }
    return m.build();
  }

  /** The row buffers of every layer's element-wise loops, one per array: {@code aRows0}. */
  static void rowBufferFields(TypeSpec.Builder type, List<RecurrenceGenerator> layers) {
    boolean first = true;
    for (RecurrenceGenerator g : layers) {
      for (String name : g.rowBufferNames()) {
        FieldSpec.Builder f = FieldSpec.builder(Names.ROW_BUFFER, g.rowBufferField(name), Modifier.PRIVATE,
            Modifier.FINAL).initializer("new $T()", Names.ROW_BUFFER);
        if (first) {
          f.addJavadoc("One row at a time of each array of the element-wise loops: a buffer per array and layer.\n");
          first = false;
        }
        type.addField(f.build());
      }
    }
  }

  /**
   * Every layer's methods, then the element-wise methods their steps call, each once: layers of one
   * stack and direction share them.
   */
  static void recurrenceMethods(TypeSpec.Builder type, List<RecurrenceGenerator> layers) {
    layers.forEach(g -> g.methods().forEach(type::addMethod));
    java.util.Map<String, MethodSpec> cells = new java.util.LinkedHashMap<>();
    for (RecurrenceGenerator g : layers) {
      for (MethodSpec m : g.cellMethods()) {
        MethodSpec before = cells.putIfAbsent(m.name, m);
        if (before != null && !before.equals(m)) {
          throw new IllegalStateException("two element-wise methods named " + m.name + " differ");
        }
      }
    }
    cells.values().forEach(type::addMethod);
  }

  /** The recurrent weights of the step products, as final fields. */
  static void recurrentWeightFields(TypeSpec.Builder type, List<RecurrenceGenerator> layers) {
    for (RecurrenceGenerator g : layers) {
      for (String w : g.recurrentWeights()) {
        type.addField(FieldSpec.builder(Names.RECURRENT_WEIGHT, g.recurrentWeightField(w), Modifier.PRIVATE,
                Modifier.FINAL)
            .addJavadoc("{@code $L} for the step products of $L.\n", g.recurrentWeightArray(w),
                g.names().title().toLowerCase(java.util.Locale.ROOT)).build());
      }
    }
  }

  /**
   * The fused-op runners of an LSTM stack's evaluation passes, one per layer and direction, and the
   * flag that selects them for the current call.
   */
  static void fusedLstmFields(TypeSpec.Builder type, List<RecurrenceGenerator> layers) {
    type.addField(FieldSpec.builder(boolean.class, "fused", Modifier.PRIVATE)
        .addJavadoc("Whether this call runs each layer as libnd4j's fused {@code lstmLayer} op: evaluation passes of\n"
            + "float32 models on unmasked input, when {@link $T#enabled} allows it; never when training.\n",
            Names.FUSED_LSTM).build());
    for (RecurrenceGenerator g : layers) {
      type.addField(FieldSpec.builder(Names.FUSED_LSTM, g.names().field("fusedLstm"), Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("$L as the fused op, for {@link #fused} passes.\n", g.names().title())
          .initializer("$T.$L()", Names.FUSED_LSTM, g.reverse() ? "backwardInTime" : "forwardInTime").build());
    }
  }

  /** Makes the recurrent weights in a constructor, once the parameters exist. */
  static void recurrentWeights(MethodSpec.Builder c, List<RecurrenceGenerator> layers) {
    for (RecurrenceGenerator g : layers) {
      for (String w : g.recurrentWeights()) {
        c.addStatement("$N = new $T($L)", g.recurrentWeightField(w), Names.RECURRENT_WEIGHT, g.recurrentWeightArray(w));
      }
    }
  }

  /**
   * A sentence's first word capitalised, unless it is a symbol: "h_{t-1} of every step" and
   * "tanh(c_t), kept" keep their case ("H" would read as the hidden size).
   */
  static String capitalize(String s) {
    String first = s.split(" ", 2)[0];
    boolean word = first.matches("[a-z]+[,:;]?") && !first.matches("(tanh|relu|h|c|x)[,:;]?");
    return word ? Character.toUpperCase(s.charAt(0)) + s.substring(1) : s;
  }
}
