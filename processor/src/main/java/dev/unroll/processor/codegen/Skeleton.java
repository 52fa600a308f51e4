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

/**
 * The skeleton every generated class shares, whatever its topology: constants, {@code CONFIG},
 * {@code COST} and {@code PARAMETER_NAMES}; parameter and gradient fields; constructors and the
 * replica; {@code newGradients} and {@code named}; the pass guard; the {@code State} class.
 */
final class Skeleton {
  private Skeleton() {}

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

  /** A public method overriding the model interface's: {@code @Override public name(...)}. */
  static MethodSpec.Builder override(String name) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC);
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
    LayerMembers.recurrentWeights(c, layers);
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
    LayerMembers.recurrentWeights(replica, layers);
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
}
