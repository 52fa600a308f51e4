package dev.unroll.processor.codegen;

import com.squareup.javapoet.ArrayTypeName;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import dev.unroll.processor.model.ParameterSpec;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/** Members every generated class has, whatever its topology: constants, parameters, their map and gradients. */
final class Members {
  private Members() {}

  static final Modifier[] CONSTANT = {Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL};

  /** {@code public static final int NAME = value;} with one line of Javadoc. */
  static FieldSpec constant(String name, int value, String doc) {
    return FieldSpec.builder(int.class, name, CONSTANT).addJavadoc("$L\n", doc).initializer("$L", value).build();
  }

  /**
   * {@code CONFIG}'s initializer, {@code new ModelConfig(model, cell, ...)}: each further argument a
   * constant of the class ({@code HIDDEN}) or, where the class has none, a literal after its
   * parameter's name ({@code /* bidirectional *}{@code / false}), so that no bare number stands alone.
   */
  static CodeBlock config(String model, String cell, List<CodeBlock> args) {
    CodeBlock.Builder b = CodeBlock.builder().add("new $T($S, $T.$L", Names.MODEL_CONFIG, model, Names.CELL_TYPE, cell);
    args.forEach(a -> b.add(",$W$L", a));
    return b.add(")").build();
  }

  /** A {@link #config} argument: the constant {@code name} where the class has it, else the commented literal. */
  static CodeBlock arg(String parameter, Object literal) {
    return CodeBlock.of("/* $L */ $L", parameter, literal);
  }

  /** A {@link #config} argument naming one of the class's constants. */
  static CodeBlock constantArg(String constant) {
    return CodeBlock.of("$L", constant);
  }

  /** {@code COST}: what the model costs, from the same figures as the class Javadoc. */
  static FieldSpec costConstant(CostFigures cost) {
    return FieldSpec.builder(Names.COST, "COST", CONSTANT)
        .addJavadoc("What this model costs: parameters per module, multiply-adds and work-buffer bytes per batch row\n"
            + "and step; {@code COST.cost(batch, steps)} gives totals, {@code COST.summary()} a table.\n")
        .initializer(cost.initializer()).build();
  }

  /**
   * {@code guard}: refuses a second thread while a pass runs, with the fix in its message ({@code replica()}, or
   * for a decoding session, a session of its own).
   */
  static FieldSpec guardField(ClassName self, boolean session) {
    return FieldSpec.builder(Names.PASS_GUARD, "guard", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc(session
            ? "One step at a time: a second thread stepping this session meanwhile gets an IllegalStateException.\n"
            : "One pass at a time: a second thread entering a pass meanwhile gets an IllegalStateException.\n")
        .initializer("$T.$N($S)", Names.PASS_GUARD, session ? "forSession" : "forModel", self.simpleName())
        .build();
  }

  /** {@code body} holding {@code guard}: entered before, exited in a {@code finally} block. */
  static CodeBlock guarded(CodeBlock body) {
    return CodeBlock.builder()
        .addStatement("guard.enter()")
        .beginControlFlow("try")
        .add(body)
        .nextControlFlow("finally")
        .addStatement("guard.exit()")
        .endControlFlow()
        .build();
  }

  /** {@code Map<String, INDArray>}. */
  static TypeName mapType() {
    return ParameterizedTypeName.get(Names.MAP, Names.STRING, Names.INDARRAY);
  }

  /** The PyTorch names in declaration order, {@code PARAMETER_NAMES}. */
  static FieldSpec parameterNames(List<ParameterSpec> parameters) {
    return FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), Names.STRING),
            "PARAMETER_NAMES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("PyTorch's {@code state_dict} names, in declaration order.\n")
        .initializer("$T.of($L)", List.class, parameters.stream()
            .map(p -> CodeBlock.of("\n    $S", p.pytorchName())).collect(CodeBlock.joining(",")))
        .build();
  }

  /** One final field per parameter. */
  static void parameterFields(TypeSpec.Builder type, List<ParameterSpec> parameters) {
    for (ParameterSpec p : parameters) {
      type.addField(FieldSpec.builder(Names.INDARRAY, p.fieldName(), Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("{@code $L} $L.\n", p.pytorchName(), p.shape()).build());
    }
  }

  /** The gradient fields, one per parameter. */
  static void gradientFields(TypeSpec.Builder type, List<ParameterSpec> parameters) {
    boolean first = true;
    for (ParameterSpec p : parameters) {
      FieldSpec.Builder f = FieldSpec.builder(Names.INDARRAY, RecurrenceGenerator.grad(p.fieldName()), Modifier.PRIVATE);
      if (first) {
        f.addJavadoc("∂L/∂ of every parameter, fresh for each {@code gradients} call, in {@link #PARAMETER_NAMES} "
            + "order.\n");
      }
      type.addField(f.build());
      first = false;
    }
  }


  /** The parameter fields (or their gradients), comma separated, in declaration order. */
  static String arguments(List<ParameterSpec> parameters, boolean gradients) {
    return parameters.stream()
        .map(p -> gradients ? RecurrenceGenerator.grad(p.fieldName()) : p.fieldName())
        .collect(Collectors.joining(", "));
  }

  /**
   * Creates and initialises every parameter in a constructor, with one comment per module.
   *
   * @param shape   a parameter's shape as constant expressions
   * @param bound   a uniform parameter's bound as an expression
   * @param comment the comment heading a module's parameters
   */
  static void initialise(MethodSpec.Builder c, List<ParameterSpec> parameters, Function<ParameterSpec, CodeBlock> shape,
      Function<ParameterSpec, String> bound, Function<String, String> comment) {
    String lastModule = "";
    for (ParameterSpec p : parameters) {
      if (!p.module().equals(lastModule)) {
        c.addComment("$L", comment.apply(p.module()));
        lastModule = p.module();
      }
      c.addStatement("$N = $T.create(dataType, $L)", p.fieldName(), Names.ND4J, shape.apply(p));
      if (p.init() == ParameterSpec.Init.NORMAL) {
        c.addStatement("$T.normal($N, random)", Names.INIT, p.fieldName());
      } else {
        c.addStatement("$T.uniform($N, $L, random)", Names.INIT, p.fieldName(), bound.apply(p));
      }
    }
  }

  /**
   * The public constructors {@code (seed)} and {@code (seed, dataType)}, which draw every parameter from
   * PyTorch's initial distributions, and the private replica constructor, which shares another
   * instance's parameters.
   */
  static void constructors(TypeSpec.Builder type, ClassName self, List<ParameterSpec> parameters,
      List<RecurrenceGenerator> layers, boolean dropout, Function<ParameterSpec, CodeBlock> shape,
      Function<ParameterSpec, String> bound, Function<String, String> comment) {
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("A float32 model with PyTorch's initial distributions, drawn from {@code seed}.\n")
        .addParameter(long.class, "seed")
        .addStatement("this(seed, $T.FLOAT)", Names.DATA_TYPE)
        .build());
    MethodSpec.Builder c = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("A model with PyTorch's initial distributions, drawn from {@code seed}.\n\n")
        .addJavadoc("@param dataType {@code FLOAT} or {@code DOUBLE}\n")
        .addParameter(long.class, "seed")
        .addParameter(Names.DATA_TYPE, "dataType");
    c.beginControlFlow("if (dataType != $T.FLOAT && dataType != $T.DOUBLE)", Names.DATA_TYPE, Names.DATA_TYPE)
        .addStatement("throw new $T($S + dataType)", IllegalArgumentException.class,
            "models compute in FLOAT or DOUBLE, not ")
        .endControlFlow();
    c.addStatement("this.dataType = dataType");
    c.addStatement("$T random = new $T(seed)", Names.SPLITTABLE_RANDOM, Names.SPLITTABLE_RANDOM);
    initialise(c, parameters, shape, bound, comment);
    recurrentWeights(c, layers);
    c.addStatement("parameters = named($L)", arguments(parameters, false));
    if (dropout) {
      c.addStatement("dropoutRandom = random.split()");
    }
    type.addMethod(c.build());

    MethodSpec.Builder replica = MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
        .addJavadoc("A replica: {@code source}'s parameter arrays, its own buffers.\n")
        .addParameter(self, "source")
        .addStatement("dataType = source.dataType");
    for (ParameterSpec p : parameters) {
      replica.addStatement("$N = source.$N", p.fieldName(), p.fieldName());
    }
    recurrentWeights(replica, layers);
    replica.addStatement("parameters = source.parameters");
    if (dropout) {
      replica.addComment("split() advances source's generator: not while a pass of source draws from it")
          .addStatement("source.guard.enter()")
          .beginControlFlow("try")
          .addStatement("dropoutRandom = source.dropoutRandom.split()")
          .nextControlFlow("finally")
          .addStatement("source.guard.exit()")
          .endControlFlow();
    }
    type.addMethod(replica.build());
  }

  /** {@code newGradients()}: fresh, zeroed gradient arrays. */
  static MethodSpec newGradients(List<ParameterSpec> parameters, Function<ParameterSpec, CodeBlock> shape) {
    MethodSpec.Builder m = MethodSpec.methodBuilder("newGradients").addModifiers(Modifier.PRIVATE)
        .addJavadoc("Fresh, zeroed gradient arrays: each call's gradients belong to its caller.\n");
    for (ParameterSpec p : parameters) {
      m.addStatement("$N = $T.create(dataType, $L)", RecurrenceGenerator.grad(p.fieldName()), Names.ND4J, shape.apply(p));
    }
    return m.build();
  }

  /** {@code named(arrays...)}: the arrays keyed by {@code PARAMETER_NAMES}. */
  static MethodSpec named() {
    return MethodSpec.methodBuilder("named").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("The arrays keyed by {@link #PARAMETER_NAMES}, in order, unmodifiable.\n")
        .returns(mapType())
        .addParameter(ArrayTypeName.of(Names.INDARRAY), "arrays").varargs()
        .addStatement("$T<$T, $T> map = new $T<>()", Names.MAP, Names.STRING, Names.INDARRAY, Names.LINKED_HASH_MAP)
        .beginControlFlow("for (int k = 0; k < arrays.length; k++)")
        .addStatement("map.put(PARAMETER_NAMES.get(k), arrays[k])")
        .endControlFlow()
        .addStatement("return $T.unmodifiableMap(map)", Names.COLLECTIONS)
        .build();
  }

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

  /** The row buffers of the element-wise loops, one per array name, shared by every layer. */
  static void rowBufferFields(TypeSpec.Builder type, List<RecurrenceGenerator> layers) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    layers.forEach(g -> names.addAll(g.rowBufferNames()));
    for (String name : names) {
      FieldSpec.Builder f = FieldSpec.builder(Names.ROW_BUFFER, RecurrenceGenerator.rowBufferField(name),
          Modifier.PRIVATE, Modifier.FINAL).initializer("new $T()", Names.ROW_BUFFER);
      if (name.equals(names.iterator().next())) {
        f.addJavadoc("One row at a time of each operand of the element-wise loops: a buffer per operand, shared by "
            + "every layer.\n");
      }
      type.addField(f.build());
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
   * The generated {@code State} class: for every layer, h (and c when {@code cellState}), each
   * {@code [B, HIDDEN]}, as final fields with accessors, and {@code arrays()} in that order.
   *
   * @param summary what the state is, the start of the class Javadoc ("The recurrent state between two calls")
   * @param layerWord how a layer is named in the accessors' Javadoc ("layer", "decoder layer")
   */
  static TypeSpec stateClass(String summary, String layerWord, int layers, boolean cellState) {
    TypeSpec.Builder t = TypeSpec.classBuilder("State").addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(Names.RECURRENT_STATE)
        .addJavadoc("$L: $L of every layer, each [B, HIDDEN]. Immutable; its arrays belong to whoever holds it.\n",
            summary, cellState ? "h and c" : "h");
    MethodSpec.Builder c = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("A state from its arrays, each [B, HIDDEN].\n");
    List<String> all = new java.util.ArrayList<>();
    for (int l = 0; l < layers; l++) {
      for (String n : cellState ? List.of("h", "c") : List.of("h")) {
        String name = n + l;
        String what = (n.equals("h") ? "hidden state h" : "cell state c") + " of " + layerWord + " " + l;
        all.add(name);
        t.addField(FieldSpec.builder(Names.INDARRAY, name, Modifier.PRIVATE, Modifier.FINAL).build());
        c.addParameter(Names.INDARRAY, name).addStatement("this.$N = $N", name, name);
        t.addMethod(MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).returns(Names.INDARRAY)
            .addJavadoc("The $L, [B, HIDDEN].\n", what).addStatement("return $N", name).build());
      }
    }
    t.addMethod(c.build());
    t.addMethod(MethodSpec.methodBuilder("arrays").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(ClassName.get(List.class), Names.INDARRAY))
        .addStatement("return $T.of($L)", List.class, String.join(", ", all)).build());
    return t.build();
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
