package dev.unroll.processor.codegen;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeSpec;
import dev.unroll.processor.math.CellMath;
import dev.unroll.processor.model.CellKind;
import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.LayerSpec;
import dev.unroll.processor.model.ReaderSpec;
import dev.unroll.processor.model.TopologyKind;
import dev.unroll.processor.model.UnrollPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Turns a validated {@link ReaderSpec} (a model that reads sequences) into the Java source of its
 * generated class; {@link SequenceClassGenerator} does the same for models that write them. Pure: no
 * I/O.
 */
public final class ReaderClassGenerator {

  /** The generated file for one model. */
  public JavaFile generate(ReaderSpec spec) {
    return new Build(spec).file();
  }

  /** One generation: the model, its cell math, and the pieces of the class being built. */
  private static final class Build {
    private final ReaderSpec spec;
    private final CellMath math;
    private final Expressions sizes;
    private final StackGenerator stack;
    private final TimeLoops loops;
    private final List<RecurrenceGenerator> layers;
    private final ClassName self;
    private final boolean embedded;
    private final boolean manyToOne;
    private final boolean stateful;
    private final boolean truncatable;
    /** Whether evaluation passes may run the layers as libnd4j's fused op (LSTM stacks). */
    private final boolean fusedLstm;
    private final ClassName state;
    /** The loss-dependent parts of the output layer: logits or predictions, and their targets. */
    private final OutputLoss loss;

    Build(ReaderSpec spec) {
      this.spec = spec;
      this.loss = new OutputLoss(spec);
      this.math = CellMath.of(spec.cell());
      this.sizes = new Expressions(spec);
      this.self = ClassName.get(spec.packageName(), spec.generatedSimpleName());
      this.embedded = spec.input() instanceof InputSpec.Embedding;
      this.manyToOne = spec.topology() == TopologyKind.MANY_TO_ONE;
      this.stateful = !spec.bidirectional();
      this.truncatable = stateful && !(spec.unroll() instanceof UnrollPlan.Full);
      this.fusedLstm = spec.stack().cell() == CellKind.LSTM;
      this.state = self.nestedClass("State");
      this.stack = new StackGenerator(StackContext.reader(spec.stack(), sizes.inputWidth(),
          embedded ? "embeddingWeight" : null, manyToOne, truncatable, fusedLstm), math, spec.unroll());
      this.loops = stack.loops();
      this.layers = stack.layers();
    }

    JavaFile file() {
      TypeSpec.Builder type = Skeleton.type(spec, self,
          stateful ? ParameterizedTypeName.get(Names.STATEFUL_MODEL, state) : Names.RECURRENT_MODEL,
          Javadocs.classDoc(spec, math));
      constants(type);
      parameterFields(type);
      bufferFields(type);
      gradientFields(type);
      constructors(type);
      api(type);
      if (stateful) {
        statefulApi(type);
      }
      evaluate(type);
      train(type);
      if (stateful) {
        finalState(type);
      }
      prepare(type);
      start(type);
      allocate(type);
      run(type);
      output(type);
      backward(type);
      Skeleton.layerMembers(type, List.of(stack), spec.parameters(), Expressions::shape, sizes::initBound);
      if (stateful) {
        type.addType(stateClass());
      }
      return Skeleton.file(spec, type.build());
    }

    // ------------------------------------------------------------ constants

    private void constants(TypeSpec.Builder type) {
      if (spec.input() instanceof InputSpec.Embedding e) {
        type.addField(constant("VOCAB", e.vocab(), "Token ids run from 0 to VOCAB − 1."));
        type.addField(constant("EMBEDDING_DIM", e.dim(), "Length of each token's embedding vector."));
      } else {
        type.addField(constant("FEATURES", spec.input().width(), "Features per step of the input."));
      }
      type.addField(constant("HIDDEN", spec.hidden(), "State size of every layer and direction."));
      type.addField(constant("LAYERS", spec.layers(), "Stacked recurrent layers."));
      if (spec.bidirectional()) {
        type.addField(constant("DIRECTIONS", 2, "Directions per layer: forward and reverse."));
      }
      type.addField(constant("GATES", spec.cell().gates(), "Gate blocks in each weight matrix ("
          + math.gates().stream().map(g -> g.name()).collect(Collectors.joining(", ")) + ")."));
      type.addField(constant("OUTPUT", spec.output(), loss.outputDoc()));
      if (spec.unroll() instanceof UnrollPlan.Full full) {
        type.addField(constant("STEPS", full.steps(), "The fixed sequence length; every step is written out."));
      }
      if (spec.unroll() instanceof UnrollPlan.Factor f) {
        type.addField(constant("UNROLL_FACTOR", f.factor(), "Steps written out per iteration of the loop over time."));
      }
      if (spec.usesDropout()) {
        type.addField(FieldSpec.builder(double.class, "DROPOUT", Skeleton.CONSTANT)
            .addJavadoc("Drop probability between stacked layers, in training.\n")
            .initializer("$L", Literals.doubleLiteral(spec.dropout())).build());
      }
      type.addField(FieldSpec.builder(Names.MODEL_CONFIG, "CONFIG", Skeleton.CONSTANT)
          .addJavadoc("The configuration this class was generated for.\n")
          .initializer(configLiteral()).build());
      type.addField(Skeleton.costConstant(CostFigures.of(spec)));
      type.addField(Skeleton.parameterNames(spec.parameters()));
    }

    private static FieldSpec constant(String name, int value, String doc) {
      return Skeleton.constant(name, value, doc);
    }

    private CodeBlock configLiteral() {
      boolean embedded = spec.input() instanceof InputSpec.Embedding;
      List<CodeBlock> args = new ArrayList<>();
      args.add(embedded ? Skeleton.arg("features", 0) : Skeleton.constantArg("FEATURES"));
      args.add(embedded ? Skeleton.constantArg("VOCAB") : Skeleton.arg("vocab", 0));
      args.add(embedded ? Skeleton.constantArg("EMBEDDING_DIM") : Skeleton.arg("embeddingDim", 0));
      args.add(Skeleton.constantArg("HIDDEN"));
      args.add(Skeleton.constantArg("LAYERS"));
      args.add(Skeleton.arg("bidirectional", spec.bidirectional()));
      args.add(Skeleton.arg("bias", spec.bias()));
      args.add(spec.usesDropout() ? Skeleton.constantArg("DROPOUT")
          : Skeleton.arg("dropout", Literals.doubleLiteral(spec.dropout())));
      args.add(CodeBlock.of("$T.$L", Names.TOPOLOGY, spec.topology().name()));
      args.add(Skeleton.constantArg("OUTPUT"));
      args.add(spec.unroll() instanceof UnrollPlan.Full ? Skeleton.constantArg("STEPS") : Skeleton.arg("unrollSteps", 0));
      args.add(spec.unroll() instanceof UnrollPlan.Factor ? Skeleton.constantArg("UNROLL_FACTOR")
          : Skeleton.arg("unrollFactor", 0));
      loss.configArgument().ifPresent(args::add);
      return Skeleton.config(qualifiedInterface(), spec.cell().name(), args);
    }

    private String qualifiedInterface() {
      return spec.packageName().isEmpty() ? spec.interfaceName() : spec.packageName() + "." + spec.interfaceName();
    }

    // ------------------------------------------------------------ parameters

    private void parameterFields(TypeSpec.Builder type) {
      Skeleton.modelFields(type, self, spec.parameters(), List.of(stack), fusedLstm, spec.usesDropout());
    }

    // ------------------------------------------------------------ buffers

    /** The output layer's buffers, between the stack's input buffers and its layers' (which view them). */
    private List<BufferField> outputBuffers() {
      List<BufferField> out = new ArrayList<>();
      String fcRows = manyToOne ? "batch" : "rows";
      out.add(BufferField.matrix("fcInput", manyToOne
              ? "the output layer's input: the top layer's final state [B, " + sizes.topWidth() + "]"
              : "the output layer's input: the top layer's outputs, 0 at padding",
          CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, fcRows, sizes.topWidth())));
      out.add(BufferField.matrix("dFcInput", "∂L/∂fcInput",
          CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, fcRows, sizes.topWidth())));
      out.add(BufferField.matrix(loss.values(), manyToOne ? "the " + loss.values() + " [B, OUTPUT]"
              : "the " + loss.values() + ", time-major [T·B, OUTPUT]",
          CodeBlock.of("$T.create(dataType, $L, OUTPUT)", Names.ND4J, fcRows)));
      out.add(BufferField.matrix(loss.gradient(), "∂L/∂" + loss.values(),
          CodeBlock.of("$T.create(dataType, $L, OUTPUT)", Names.ND4J, fcRows)));
      return out;
    }

    private List<BufferField> allBuffers() {
      List<BufferField> out = new ArrayList<>(stack.inputBuffers());
      out.addAll(outputBuffers());
      out.addAll(stack.layerBuffers());
      return out;
    }

    private void bufferFields(TypeSpec.Builder type) {
      type.addField(FieldSpec.builder(int.class, "batch", Modifier.PRIVATE)
          .addJavadoc("Batch size the buffers are sized for (0 before the first call).\n").build());
      type.addField(FieldSpec.builder(int.class, "steps", Modifier.PRIVATE)
          .addJavadoc("Sequence length the buffers are sized for.\n").build());
      type.addField(FieldSpec.builder(boolean.class, "masked", Modifier.PRIVATE)
          .addJavadoc("Whether the current call has a mask (padded sequences).\n").build());
      if (embedded) {
        type.addField(FieldSpec.builder(int[].class, "tokenIds", Modifier.PRIVATE)
            .addJavadoc("The current call's token ids, time-major.\n").build());
      }
      type.addField(LayerMembers.gradientBuffersSized());
      LayerMembers.bufferFields(type, allBuffers());
    }

    private void gradientFields(TypeSpec.Builder type) {
      Skeleton.gradientFields(type, spec.parameters());
    }

    // ------------------------------------------------------------ constructors

    private void constructors(TypeSpec.Builder type) {
      Skeleton.constructors(type, self, spec.parameters(), List.of(stack), spec.usesDropout(), sizes::initBound,
          this::initComment);
    }

    private String initComment(String module) {
      return switch (module) {
        case "embedding" -> "embedding: N(0, 1), as nn.Embedding";
        case "rnn" -> "rnn: U(−1/√HIDDEN, 1/√HIDDEN), as nn." + spec.cell().shortName();
        default -> "fc: U(−1/√fan_in, 1/√fan_in), as nn.Linear";
      };
    }

    private String parameterArgs(boolean gradients) {
      return Skeleton.arguments(spec.parameters(), gradients);
    }

    // ------------------------------------------------------------ public API

    private void api(TypeSpec.Builder type) {
      Skeleton.modelApi(type, self, spec.usesDropout());
      String xDoc = embedded ? "token ids [B, T], int64" : "[B, T, FEATURES]";
      String logitsShape = manyToOne ? "[B, OUTPUT]" : "[B, T, OUTPUT]";
      type.addMethod(MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .addJavadoc("$L $L for {@code x} $L, every step valid; evaluation mode.\n", loss.valuesWord(), logitsShape, xDoc)
          .returns(Names.INDARRAY).addParameter(Names.INDARRAY, "x")
          .addStatement("return forward(x, null)").build());
      type.addMethod(MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .addJavadoc("As {@link #forward(INDArray)}, for sequences padded at the end; {@code mask} [B, T].\n")
          .returns(Names.INDARRAY).addParameter(Names.INDARRAY, "x").addParameter(Names.INDARRAY, "mask")
          .addStatement("return guard.run(() -> evaluate($L))", stateful ? "x, mask, null" : "x, mask")
          .build());
      type.addMethod(MethodSpec.methodBuilder("gradients").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .addJavadoc("$L against {@code y} ($L) and ∂L/∂ per parameter; training mode.\n", loss.lossDoc(),
              loss.targetsDoc())
          .returns(Names.GRADIENTS).addParameter(Names.INDARRAY, "x").addParameter(Names.INDARRAY, "y")
          .addStatement("return gradients(x, y, null)").build());
      type.addMethod(MethodSpec.methodBuilder("gradients").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .addJavadoc("As {@link #gradients(INDArray, INDArray)}, for sequences padded at the end.\n")
          .returns(Names.GRADIENTS).addParameter(Names.INDARRAY, "x").addParameter(Names.INDARRAY, "y")
          .addParameter(Names.INDARRAY, "mask")
          .addStatement("return guard.run(() -> train($L))",
              stateful ? "x, y, mask, null, Integer.MAX_VALUE" : "x, y, mask")
          .build());
    }

    /** {@code evaluate}: the evaluation pass every {@code forward} runs, holding the guard. */
    private void evaluate(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("evaluate").addModifiers(Modifier.PRIVATE)
          .addJavadoc("The evaluation pass$L; a copy of the $L for the caller.\n",
              stateful ? " from {@code initial} (null: zero)" : "", loss.values())
          .returns(Names.INDARRAY).addParameter(Names.INDARRAY, "x").addParameter(Names.INDARRAY, "mask");
      if (stateful) {
        m.addParameter(state, "initial");
      }
      type.addMethod(m.addStatement("prepare(x, mask)")
          .addCode(pass(false))
          .addStatement(stateful ? "start(initial)" : "start()")
          .addStatement(spec.usesDropout() ? "run(false)" : "run()")
          .addStatement("return $L", logitsCopy())
          .build());
    }

    /** {@code train}: the training pass every {@code gradients} runs, holding the guard. */
    private void train(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("train").addModifiers(Modifier.PRIVATE)
          .returns(Names.GRADIENTS).addParameter(Names.INDARRAY, "x").addParameter(Names.INDARRAY, "y")
          .addParameter(Names.INDARRAY, "mask");
      if (!stateful) {
        m.addJavadoc("The training pass: the loss and ∂L/∂ of every parameter.\n").addCode(train("", ""));
      } else {
        m.addJavadoc("The training pass from {@code initial}, back through the last {@code backSteps} steps.\n")
            .addParameter(state, "initial").addParameter(int.class, "backSteps")
            .addStatement("$T.backSteps(backSteps)", Names.INPUTS);
        if (truncatable) {
          m.addCode(train("initial", "Math.max(0, steps - backSteps)"));
        } else {
          m.beginControlFlow("if (backSteps < STEPS)")
              .addStatement("throw new $T($S + STEPS + $S + backSteps + $S)", IllegalArgumentException.class,
                  "this model writes out all ", " steps (@Unroll(steps)) and backpropagates through all of them, but backSteps is ",
                  "; use @Unroll(factor = ...) or no @Unroll for truncated BPTT")
              .endControlFlow()
              .addCode(train("initial", ""));
        }
      }
      type.addMethod(m.addStatement("return new $T(loss, $T.named(PARAMETER_NAMES, $L), spares)", Names.GRADIENTS,
          Names.PARAMETERS, parameterArgs(true)).build());
    }

    /**
     * Sets {@code fused} for the pass that follows: a training pass fills every buffer backpropagation
     * reads, so only an evaluation pass may take the fused op. Nothing for other cells.
     */
    private CodeBlock pass(boolean training) {
      if (!fusedLstm) {
        return CodeBlock.of("");
      }
      return training
          ? CodeBlock.of("fused = false;\n")
          : CodeBlock.of("fused = !masked && $T.enabled(dataType, batch, steps, HIDDEN);\n", Names.FUSED_LSTM);
    }

    /** A copy of the logits (or predictions) for the caller, batch first. */
    private CodeBlock logitsCopy() {
      return manyToOne ? CodeBlock.of("$N.dup()", loss.values())
          : CodeBlock.of("$T.batchFirst($N, batch, steps)", Names.SEQUENCES, loss.values());
    }

    /** One training pass after the checks: forward in training mode, loss into {@code loss}, backward. */
    private CodeBlock train(String initial, String stop) {
      return CodeBlock.builder().addStatement("prepare(x, mask)").addStatement("allocateGradients()")
          .add(loss.targets())
          .add(pass(true))
          .addStatement("start($L)", initial)
          .addStatement(spec.usesDropout() ? "run(true)" : "run()")
          .add(loss.loss())
          .addStatement("newGradients()")
          .addStatement("backward($L)", stop)
          .build();
    }

    private void statefulApi(TypeSpec.Builder type) {
      type.addMethod(MethodSpec.methodBuilder("initialState").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .addJavadoc("The zero state for {@code batch} rows.\n")
          .returns(state).addParameter(int.class, "batch")
          .addStatement("return new $T($L)", state, spec.layerSpecs().stream()
              .flatMap(l -> stateNames(l).stream())
              .map(n -> CodeBlock.of("$T.create(dataType, batch, HIDDEN)", Names.ND4J))
              .collect(CodeBlock.joining(",$W")))
          .build());
      type.addMethod(MethodSpec.methodBuilder("forward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .addJavadoc("$L from {@code initial} (null: zero), and the state after each row's last valid step.\n",
              loss.valuesWord())
          .returns(ParameterizedTypeName.get(Names.STEP, state))
          .addParameter(Names.INDARRAY, "x").addParameter(Names.INDARRAY, "mask").addParameter(state, "initial")
          .addStatement("return guard.run(() -> new $T<>(evaluate(x, mask, initial), finalState()))", Names.STEP)
          .build());
      type.addMethod(MethodSpec.methodBuilder("gradients").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .addJavadoc("One chunk of truncated BPTT from {@code initial} (no gradient flows into it): loss and\n"
              + "gradients back through its last {@code backSteps} steps, and the state after it; training mode.\n")
          .returns(ParameterizedTypeName.get(Names.CHUNK, state))
          .addParameter(Names.INDARRAY, "x").addParameter(Names.INDARRAY, "y").addParameter(Names.INDARRAY, "mask")
          .addParameter(state, "initial").addParameter(int.class, "backSteps")
          .addStatement("return guard.run(() -> new $T<>(train(x, y, mask, initial, backSteps), finalState()))",
              Names.CHUNK)
          .build());
    }

    private void finalState(TypeSpec.Builder type) {
      MethodSpec.Builder f = MethodSpec.methodBuilder("finalState").addModifiers(Modifier.PRIVATE)
          .addJavadoc("Copies of every layer's state after each row's last valid step.\n")
          .returns(state);
      List<String> args = new ArrayList<>();
      for (RecurrenceGenerator gen : layers) {
        for (String n : stateNames(gen.names().layer)) {
          args.add(gen.names().field(n) + "[" + gen.names().finalBlock() + "].dup()");
        }
      }
      f.addStatement("return new $T($L)", state, String.join(", ", args));
      type.addMethod(f.build());
    }

    /** The state arrays of a layer: {@code h}, and {@code c} for an LSTM. */
    private List<String> stateNames(LayerSpec l) {
      return math.hasCellState() ? List.of("h", "c") : List.of("h");
    }

    private TypeSpec stateClass() {
      return Skeleton.stateClass("The recurrent state between two calls", "layer", spec.layers(), math.hasCellState());
    }

    private void start(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("start").addModifiers(Modifier.PRIVATE);
      if (stateful) {
        m.addJavadoc("Sets every layer's state before the first step: zero, or a copy of {@code initial}.\n")
            .addParameter(state, "initial")
            .beginControlFlow("if (initial == null)");
      } else {
        m.addJavadoc("Sets every layer's state before its first step to zero.\n");
      }
      for (RecurrenceGenerator g : layers) {
        for (String n : stateNames(g.names().layer)) {
          m.addStatement("$N[$L].assign(0)", g.names().field(n), g.names().initialBlock());
        }
      }
      if (stateful) {
        m.addStatement("return").endControlFlow();
        for (RecurrenceGenerator g : layers) {
          for (String n : stateNames(g.names().layer)) {
            String name = n + g.names().layer.index();
            m.addStatement("$T.state($S, initial.$N(), batch, HIDDEN)", Names.INPUTS, name, name);
          }
        }
        for (RecurrenceGenerator g : layers) {
          for (String n : stateNames(g.names().layer)) {
            m.addStatement("$N[$L].assign(initial.$N())", g.names().field(n), g.names().initialBlock(),
                n + g.names().layer.index());
          }
        }
      }
      type.addMethod(m.build());
    }

    // ------------------------------------------------------------ forward

    private void prepare(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("prepare").addModifiers(Modifier.PRIVATE)
          .addJavadoc("Checks the input, sizes the buffers, and copies {@code x} (and the mask) in, time-major.\n")
          .addParameter(Names.INDARRAY, "x").addParameter(Names.INDARRAY, "mask");
      if (embedded) {
        m.addStatement("$T.tokens(x, VOCAB)", Names.INPUTS);
      } else {
        m.addStatement("$T.features(x, FEATURES)", Names.INPUTS);
      }
      if (spec.unroll() instanceof UnrollPlan.Full) {
        m.addStatement("$T.steps(x, STEPS)", Names.INPUTS);
      }
      m.addStatement("int batch = (int) x.size(0)")
          .addStatement("int steps = (int) x.size(1)")
          .addStatement("int[] lengths = mask == null ? null : $T.mask(mask, batch, steps)", Names.INPUTS)
          .addStatement("allocate(batch, steps)")
          .addStatement("masked = lengths != null");
      if (embedded) {
        m.addComment("the embedding lookup is a gather of rows, never a one-hot product");
        m.addCode(stack.lookup("x"));
      } else {
        m.addStatement("$T.assignTimeMajor(xByStep, x)", Names.SEQUENCES);
      }
      m.beginControlFlow("if (masked)")
          .addStatement("$T.fillMask(maskSeq, lengths, batch, steps)", Names.SEQUENCES)
          .endControlFlow();
      type.addMethod(m.build());
    }

    private void allocate(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("allocate").addModifiers(Modifier.PRIVATE)
          .addJavadoc("Sizes the forward pass's buffers and views for a new shape ({@code batch}, {@code steps}).\n")
          .addParameter(int.class, "batch").addParameter(int.class, "steps")
          .beginControlFlow("if (batch == this.batch && steps == this.steps)")
          .addStatement("return")
          .endControlFlow()
          .addStatement("this.batch = batch")
          .addStatement("this.steps = steps")
          .addStatement("int rows = batch * steps");
      for (BufferField b : allBuffers()) {
        if (!b.gradient()) {
          m.addStatement(b.statement());
        }
      }
      m.addStatement("gradientBuffersSized = false");
      type.addMethod(m.build());
      type.addMethod(LayerMembers.allocateGradients(List.of(CodeBlock.of("int rows = batch * steps")), allBuffers()));
      stack.allocators().forEach(type::addMethod);
    }

    private void run(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("run").addModifiers(Modifier.PRIVATE)
          .addJavadoc("The forward pass: every layer and direction, then the output layer.\n");
      if (spec.usesDropout()) {
        m.addParameter(boolean.class, "training");
      }
      m.addCode(stack.forward());
      m.addStatement("output()");
      type.addMethod(m.build());
    }

    private void output(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("output").addModifiers(Modifier.PRIVATE);
      if (manyToOne) {
        m.addJavadoc("The output layer on the top layer's final state$L.\n",
            spec.bidirectional() ? "s (forward after the last step, reverse after the first)" : "");
        for (RecurrenceGenerator g : stack.top()) {
          m.addStatement("$N.assign($N[$L])", g.names().field("outputSlot"), g.names().field("h"), g.names().finalBlock());
        }
      } else {
        m.addJavadoc("The output layer on the top layer's output at every step.\n");
        for (RecurrenceGenerator g : stack.top()) {
          m.addStatement("$N.assign($N)", g.names().field("outputSlot"), g.names().field("outputSeq"));
        }
        m.beginControlFlow("if (masked)")
            .addComment("a padded step's output is 0, so its $L are fc.bias (as pad_packed_sequence)", loss.values())
            .addStatement("fcInput.muliColumnVector(maskSeq)")
            .endControlFlow();
      }
      m.addComment("$L = fcInput W_fcᵀ + b_fc$L", loss.values(), loss.regression() ? " (no softmax: ŷ itself)" : "");
      m.addStatement("$T.timesTransposed($N, fcInput, fcWeight)", Names.OPS, loss.values());
      m.addStatement("$T.addRow($N, fcBias)", Names.OPS, loss.values());
      type.addMethod(m.build());
    }

    // ------------------------------------------------------------ backward

    private void backward(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("backward").addModifiers(Modifier.PRIVATE)
          .addJavadoc("Backpropagation through time, from ∂L/∂$L down to every parameter.\n", loss.values());
      if (truncatable) {
        m.addJavadoc("\n@param stop the first step gradients flow back into (0: all of them)\n")
            .addParameter(int.class, "stop");
      }
      String v = loss.values();
      String dv = loss.gradient();
      m.addComment("∂L/∂W_fc = Σ ∂L/∂$Lᵀ fcInput,   ∂L/∂b_fc = Σ ∂L/∂$L", v, v);
      m.addStatement("$T.transposedTimes(gradFcWeight, $N, fcInput)", Names.OPS, dv);
      m.addStatement("$T.columnSums(gradFcBias, $N)", Names.OPS, dv);
      m.addComment("∂L/∂fcInput = ∂L/∂$L W_fc", v);
      m.addStatement("$T.product(dFcInput, $N, fcWeight)", Names.OPS, dv);
      if (!manyToOne) {
        m.beginControlFlow("if (masked)")
            .addComment("a padded step's output is a constant 0: no gradient reaches its state")
            .addStatement("dFcInput.muliColumnVector(maskSeq)")
            .endControlFlow();
      }
      m.addCode(stack.backward(truncatable ? "stop" : ""));
      type.addMethod(m.build());
    }
  }
}
