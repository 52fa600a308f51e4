package dev.unroll.processor.codegen;

import com.squareup.javapoet.ArrayTypeName;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import dev.unroll.processor.model.LayerSpec;
import dev.unroll.processor.model.ParameterSpec;
import dev.unroll.processor.model.StackRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;

/**
 * Members of the recurrent layers: the holder class of a stack's layers (references to the
 * parameters, recurrent weights, fused ops, work buffers, row buffers, gradients), its instances,
 * the work-buffer fields of the class and their allocation for backpropagation, and the methods
 * the layers share.
 */
final class LayerMembers {
  private LayerMembers() {}

  /** The work-buffer fields, {@code INDArray} or {@code INDArray[]} of per-step views: a group. */
  static void bufferFields(TypeSpec.Builder type, List<BufferField> buffers) {
    boolean first = true;
    for (BufferField b : buffers) {
      if (!b.declared()) {
        continue;
      }
      TypeName t = b.perStep() ? ArrayTypeName.of(Names.INDARRAY) : Names.INDARRAY;
      FieldSpec.Builder f = FieldSpec.builder(t, b.name(), Modifier.PRIVATE);
      if (b.doc() != null) {
        f.addJavadoc("$L$L.\n", first ? Layout.GROUP : "", capitalize(b.doc()));
        first = false;
      }
      type.addField(f.build());
    }
  }

  /** The flag that says whether the gradient buffers fit the current shape. */
  static FieldSpec gradientBuffersSized() {
    return FieldSpec.builder(boolean.class, "gradientBuffersSized", Modifier.PRIVATE)
        .addJavadoc("Whether the gradient buffers fit the shape (sized by its first {@code gradients} call).\n")
        .build();
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
        m.addStatement(b.statement());
      }
    }
    return m.build();
  }

  /**
   * The methods the layers of each stack and direction share, then the element-wise methods their
   * steps call, each once.
   */
  static void recurrenceMethods(TypeSpec.Builder type, List<RecurrenceGenerator> layers) {
    layers.stream().filter(g -> g.names().layer.index() == 0).forEach(g -> g.methods().forEach(type::addMethod));
    Map<String, MethodSpec> cells = new LinkedHashMap<>();
    for (RecurrenceGenerator g : layers) {
      for (MethodSpec m : g.cellMethods()) {
        MethodSpec before = cells.putIfAbsent(m.name, m);
        if (before != null && !before.equals(m)) {
          throw new IllegalStateException("two element-wise methods named " + m.name + " differ");
        }
      }
    }
    boolean reverse = layers.stream().anyMatch(RecurrenceGenerator::reverse);
    for (MethodSpec m : cells.values()) {
      List<String> previous = Stream.of("h", "c")
          .filter(v -> m.code.toString().contains(v + "_{t-1}")).toList();
      if (reverse && m.name.endsWith("Float") && !previous.isEmpty()) {
        // the loops write time forward; a reverse direction's previous step is the later one
        type.addMethod(m.toBuilder().addJavadoc("The reverse direction's steps call it too, with $L for $L.\n",
            previous.stream().map(v -> v + "_{t+1}").collect(Collectors.joining(", ")),
            previous.stream().map(v -> v + "_{t-1}").collect(Collectors.joining(", "))).build());
      } else {
        type.addMethod(m);
      }
    }
  }

  /** One final field per layer and direction, its holder: {@code layer0}, {@code encoderLayer1Reverse}. */
  static void layerFields(TypeSpec.Builder type, StackGenerator stack) {
    boolean first = true;
    for (RecurrenceGenerator g : stack.layers()) {
      FieldSpec.Builder f = FieldSpec.builder(stack.holder(), g.names().instance(), Modifier.PRIVATE, Modifier.FINAL);
      if (first) {
        f.addJavadoc("$L, bottom to top$L.\n", stack.stack().role() == StackRole.RNN ? "The recurrent layers"
            : "The " + stack.stack().role().module() + "'s layers", stack.stack().bidirectional()
            ? ", each direction its own" : "");
        first = false;
      }
      type.addField(f.build());
    }
  }

  /** The flag that selects libnd4j's fused {@code lstmLayer} op for the current call. */
  static FieldSpec fusedFlag() {
    return FieldSpec.builder(boolean.class, "fused", Modifier.PRIVATE)
        .addJavadoc("Whether this pass runs each layer as libnd4j's fused op (see {@link $T#enabled}).\n",
            Names.FUSED_LSTM).build();
  }

  /**
   * Makes the holder of the layer that parameter {@code p} opens, which draws that layer's parameters:
   * {@code layer1 = new Layer(dataType, random, HIDDEN)}; nothing for the layer's other parameters.
   */
  static void newLayer(MethodSpec.Builder c, List<StackGenerator> stacks, ParameterSpec p) {
    for (StackGenerator s : stacks) {
      for (RecurrenceGenerator g : s.layers()) {
        if (!g.names().layer.equals(p.layer()) || !p.layerInput()) {
          continue;
        }
        List<CodeBlock> args = new ArrayList<>(List.of(CodeBlock.of("dataType"), CodeBlock.of("random"),
            CodeBlock.of("$L", p.dims().get(p.dims().size() - 1))));
        if (takesFusedOp(s.holderGroup())) {
          args.add(CodeBlock.of("$T.$L()", Names.FUSED_LSTM, g.reverse() ? "backwardInTime" : "forwardInTime"));
        }
        if (takesFinalStateOnly(s.holderGroup())) {
          args.add(CodeBlock.of("/* finalStateOnly */ $L", g.readsFinalStateOnly()));
        }
        c.addStatement("$N = new $T($L)", g.names().instance(), g.holder(), CodeBlock.join(args, ", "));
      }
    }
  }

  /** Whether the holder's constructor takes the fused op: it runs either way in time. */
  private static boolean takesFusedOp(List<StackGenerator> group) {
    return group.stream().flatMap(s -> s.layers().stream()).anyMatch(g -> g.fusedLstm() && g.reverse());
  }

  /** Whether the holder says if its layer reads only its final state: where layers of one method set differ. */
  private static boolean takesFinalStateOnly(List<StackGenerator> group) {
    return group.stream().flatMap(s -> s.layers().stream()).anyMatch(RecurrenceGenerator::finalStateOnlyVaries);
  }

  /** The parameters' names in a layer's holder, for choosing whether two stacks can share one. */
  static List<String> holderParameters(StackGenerator stack, List<ParameterSpec> parameters) {
    LayerSpec first = stack.layers().get(0).names().layer;
    return parameters.stream().filter(p -> first.equals(p.layer())).map(LayerNames::local).toList();
  }

  /**
   * The class holding one layer and direction of {@code stack}: references to its parameters and
   * its recurrent weights, its work buffers and row buffers, and this call's gradients. The class's
   * methods take it as {@code l}; its fields are read directly.
   */
  static TypeSpec holder(List<StackGenerator> group, List<ParameterSpec> parameters,
      Function<ParameterSpec, String> bound) {
    StackGenerator stack = group.get(0);
    RecurrenceGenerator first = stack.layers().get(0);
    boolean bidirectional = group.stream().anyMatch(s -> s.stack().bidirectional());
    String what = group.size() > 1
        ? "layer" + (bidirectional ? " and direction" : "") + " of the " + group.stream()
            .map(s -> s.stack().role().module()).collect(Collectors.joining(" or the "))
        : (stack.stack().role() == StackRole.RNN ? "layer" : stack.stack().role().module() + " layer")
            + (bidirectional ? " and direction" : "");
    TypeSpec.Builder t = TypeSpec.classBuilder(stack.holder()).addModifiers(Modifier.PRIVATE, Modifier.STATIC,
            Modifier.FINAL)
        .addJavadoc("One $L: its parameters, its work buffers and this call's gradients.\n", what);
    List<ParameterSpec> own = parameters.stream().filter(p -> first.names().layer.equals(p.layer())).toList();
    MethodSpec.Builder c = MethodSpec.constructorBuilder()
        .addJavadoc("Draws its parameters for {@code inputs} inputs from {@code random}, in PyTorch's order.\n")
        .addParameter(Names.DATA_TYPE, "dataType").addParameter(Names.SPLITTABLE_RANDOM, "random")
        .addParameter(int.class, "inputs");
    MethodSpec.Builder replica = MethodSpec.constructorBuilder()
        .addJavadoc("A replica's layer: {@code source}'s parameter arrays, its own buffers.\n")
        .addParameter(ClassName.get("", stack.holder().simpleName()), "source");
    for (ParameterSpec p : own) {
      String name = LayerNames.local(p);
      FieldSpec.Builder f = FieldSpec.builder(Names.INDARRAY, name, Modifier.PRIVATE, Modifier.FINAL);
      if (p == own.get(0)) {
        f.addJavadoc("This layer's parameters W_ih, W_hh$L, shared with its replicas.\n",
            stack.stack().bias() ? ", b_ih, b_hh" : "");
      }
      t.addField(f.build());
      List<String> dims = drawnDims(p);
      checkAlike(group, parameters, own.indexOf(p), dims, bound);
      c.addStatement("$N = $T.uniform(dataType, $L, random, $L)", name, Names.INIT, bound.apply(p),
          String.join(", ", dims));
      replica.addStatement("$N = source.$N", name, name);
    }
    for (String w : first.recurrentWeights()) {
      String name = RecurrenceGenerator.recurrentWeightField(w);
      t.addField(FieldSpec.builder(Names.RECURRENT_WEIGHT, name, Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@code $L} for the step products: Java loops at batch 1, else native.\n",
              first.recurrentWeightArray(w)).build());
      c.addStatement("$N = new $T($L)", name, Names.RECURRENT_WEIGHT, first.recurrentWeightArray(w));
      replica.addStatement("$N = new $T($L)", name, Names.RECURRENT_WEIGHT, first.recurrentWeightArray(w));
    }
    if (first.fusedLstm()) {
      FieldSpec.Builder f = FieldSpec.builder(Names.FUSED_LSTM, "fusedLstm", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("This layer as libnd4j's fused op, for {@code fused} passes.\n");
      if (takesFusedOp(group)) {
        c.addParameter(Names.FUSED_LSTM, "fusedLstm").addStatement("this.fusedLstm = fusedLstm");
        replica.addStatement("fusedLstm = source.fusedLstm.fresh()");
      } else {
        f.initializer("$T.forwardInTime()", Names.FUSED_LSTM);
      }
      t.addField(f.build());
    }
    if (takesFinalStateOnly(group)) {
      t.addField(FieldSpec.builder(boolean.class, "finalStateOnly", Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("Whether only the final state is read (the top layer): no step's output gets a gradient.\n")
          .build());
      c.addParameter(boolean.class, "finalStateOnly").addStatement("this.finalStateOnly = finalStateOnly");
      replica.addStatement("finalStateOnly = source.finalStateOnly");
    }
    for (BufferField b : stack.holderBuffers()) {
      TypeName type = b.perStep() ? ArrayTypeName.of(Names.INDARRAY) : Names.INDARRAY;
      FieldSpec.Builder f = FieldSpec.builder(type, b.local(), Modifier.PRIVATE);
      if (b.doc() != null) {
        f.addJavadoc("$L.\n", capitalize(b.doc()));
      }
      t.addField(f.build());
    }
    boolean firstRows = true;
    for (String name : first.rowBufferNames()) {
      FieldSpec.Builder f = FieldSpec.builder(Names.ROW_BUFFER, first.rowBufferField(name), Modifier.PRIVATE,
          Modifier.FINAL).initializer("new $T()", Names.ROW_BUFFER);
      if (firstRows) {
        f.addJavadoc("One row at a time of each array of the element-wise loops.\n");
        firstRows = false;
      }
      t.addField(f.build());
    }
    for (ParameterSpec p : own) {
      FieldSpec.Builder f = FieldSpec.builder(Names.INDARRAY, RecurrenceGenerator.grad(LayerNames.local(p)),
          Modifier.PRIVATE);
      if (p == own.get(0)) {
        f.addJavadoc("∂L/∂ of the parameters, fresh for each {@code gradients} call.\n");
      }
      t.addField(f.build());
    }
    return t.addMethod(c.build()).addMethod(replica.build()).build();
  }

  /**
   * The shape a holder's constructor draws {@code p} with: its dims, the input weight's input width
   * named by the constructor's {@code inputs} parameter (it differs from layer to layer).
   */
  private static List<String> drawnDims(ParameterSpec p) {
    List<String> dims = new ArrayList<>(p.dims());
    if (p.layerInput()) {
      dims.set(dims.size() - 1, "inputs");
    }
    return dims;
  }

  /**
   * Checks that every layer of {@code group} has the {@code k}-th parameter of the holder's first
   * layer with the same shape and bound: the holder's constructor draws them all alike.
   */
  private static void checkAlike(List<StackGenerator> group, List<ParameterSpec> parameters, int k,
      List<String> dims, Function<ParameterSpec, String> bound) {
    String first = null;
    for (StackGenerator s : group) {
      for (RecurrenceGenerator g : s.layers()) {
        ParameterSpec p = parameters.stream().filter(q -> g.names().layer.equals(q.layer())).toList().get(k);
        first = first == null ? bound.apply(p) : first;
        if (!drawnDims(p).equals(dims) || !bound.apply(p).equals(first)) {
          throw new IllegalStateException(p.pytorchName() + " is drawn unlike the other layers' of its holder");
        }
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
