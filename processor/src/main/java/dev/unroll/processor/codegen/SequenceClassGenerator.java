package dev.unroll.processor.codegen;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeSpec;
import dev.unroll.processor.math.CellMath;
import dev.unroll.processor.model.ParameterSpec;
import dev.unroll.processor.model.SequenceSpec;
import dev.unroll.processor.model.StackSpec;
import dev.unroll.processor.model.UnrollPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Turns a validated generation model (one-to-many or encoder-decoder) into the Java source of its
 * class: the decoder stack (and the encoder stack), the hand-over of the initial state
 * ({@code init}, or the encoder's final state, through {@code bridge} when the encoder is
 * bidirectional), the output layer, teacher-forced training, the single-step API and a decoding
 * session over preallocated buffers. Pure: no I/O.
 */
public final class SequenceClassGenerator {

  /** The generated file for one model. */
  public JavaFile generate(SequenceSpec spec) {
    return new Build(spec).file();
  }

  private static final class Build {
    private final SequenceSpec spec;
    private final CellMath math;
    private final ClassName self;
    private final ClassName state;
    private final boolean seq2seq;
    private final Optional<StackGenerator> encoder;
    private final StackGenerator decoder;
    private final boolean dropout;
    private final boolean encoderDropout;
    private final boolean decoderDropout;
    private final boolean lstm;
    private final HandOverGenerator handOver;

    Build(SequenceSpec spec) {
      this.spec = spec;
      this.math = CellMath.of(spec.cell());
      this.self = ClassName.get(spec.packageName(), spec.generatedSimpleName());
      this.state = self.nestedClass("State");
      this.seq2seq = spec.seq2seq();
      this.lstm = math.hasCellState();
      this.encoder = spec.encoder().map(e -> new StackGenerator(StackContext.encoder(e), math, new UnrollPlan.Loop()));
      this.decoder = new StackGenerator(StackContext.decoder(spec.decoder(), seq2seq), math, new UnrollPlan.Loop());
      this.encoderDropout = spec.encoder().map(StackSpec::usesDropout).orElse(false);
      this.decoderDropout = spec.decoder().usesDropout();
      this.dropout = decoderDropout || encoderDropout;
      this.handOver = new HandOverGenerator(spec, lstm, encoder, decoder);
      encoder.filter(e -> LayerMembers.holderParameters(e, spec.parameters())
              .equals(LayerMembers.holderParameters(decoder, spec.parameters())))
          .ifPresent(e -> {
            // the encoder's and the decoder's layers are alike: one class holds both
            ClassName layer = ClassName.bestGuess("Layer");
            e.share(layer, List.of(e, decoder));
            decoder.share(layer, List.of(e, decoder));
          });
    }

    private List<RecurrenceGenerator> allLayers() {
      List<RecurrenceGenerator> out = new ArrayList<>();
      encoder.ifPresent(e -> out.addAll(e.layers()));
      out.addAll(decoder.layers());
      return out;
    }

    JavaFile file() {
      TypeSpec.Builder type = Skeleton.type(spec, self,
          ParameterizedTypeName.get(seq2seq ? Names.SEQ2SEQ_MODEL : Names.ONE_TO_MANY_MODEL, state),
          Javadocs.sequenceClassDoc(spec, math));
      constants(type);
      fields(type);
      constructors(type);
      api(type);
      internals(type);
      Skeleton.layerMembers(type, stacks(), spec.parameters(), Expressions::shape, this::bound);
      type.addType(stateClass());
      type.addType(new SessionGenerator(self, state, seq2seq, decoder.layers(), stateNames()).build());
      return Skeleton.file(spec, type.build());
    }

    // ------------------------------------------------------------ constants

    private void constants(TypeSpec.Builder type) {
      if (seq2seq) {
        type.addField(Skeleton.constant("SOURCE_VOCAB", spec.sourceEmbedding().vocab(),
            "Source token ids run from 0 to SOURCE_VOCAB − 1."));
        type.addField(Skeleton.constant("SOURCE_EMBEDDING_DIM", spec.sourceEmbedding().dim(),
            "Length of each source token's embedding vector."));
      } else {
        type.addField(Skeleton.constant("CONDITION", spec.condition(), "Values in the condition vector."));
      }
      type.addField(Skeleton.constant("VOCAB", spec.targetEmbedding().vocab(),
          (seq2seq ? "Target token" : "Token") + " ids run from 0 to VOCAB − 1; the output layer writes one logit per id."));
      type.addField(Skeleton.constant("EMBEDDING_DIM", spec.targetEmbedding().dim(),
          "Length of each " + (seq2seq ? "target " : "") + "token's embedding vector."));
      type.addField(Skeleton.constant("HIDDEN", spec.decoder().hidden(), "State size of every layer and direction."));
      type.addField(Skeleton.constant("LAYERS", spec.decoder().layers(), "Stacked recurrent layers"
          + (seq2seq ? " of the encoder and of the decoder." : ".")));
      if (spec.bridged()) {
        type.addField(Skeleton.constant("DIRECTIONS", 2, "Directions of each encoder layer: forward and reverse."));
      }
      type.addField(Skeleton.constant("GATES", spec.cell().gates(), "Gate blocks in each weight matrix ("
          + math.gates().stream().map(g -> g.name()).collect(Collectors.joining(", ")) + ")."));
      type.addField(Skeleton.constant("START", spec.start(), "The token every decoded sequence starts from."));
      type.addField(Skeleton.constant("END", spec.end(), "The token that ends a sequence."));
      type.addField(Skeleton.constant("MAX_STEPS", spec.maxSteps(), "The most tokens decoding writes, END included."));
      for (StackGenerator s : stacks()) {
        if (s.stack().usesDropout()) {
          type.addField(FieldSpec.builder(double.class, s.dropoutConstant(), Skeleton.CONSTANT)
              .addJavadoc("Drop probability between stacked layers$L, in training.\n",
                  seq2seq ? " of the " + s.stack().role().module() : "")
              .initializer("$L", Literals.doubleLiteral(s.stack().dropout())).build());
        }
      }
      type.addField(FieldSpec.builder(Names.MODEL_CONFIG, "CONFIG", Skeleton.CONSTANT)
          .addJavadoc("The configuration this class was generated for: the decoder's, with bidirectional = "
              + "whether the\nencoder is (the encoder's vocabulary is checked through the parameter shapes).\n")
          .initializer(configLiteral()).build());
      type.addField(Skeleton.costConstant(CostFigures.of(spec)));
      type.addField(Skeleton.parameterNames(spec.parameters()));
    }

    private List<StackGenerator> stacks() {
      List<StackGenerator> out = new ArrayList<>();
      encoder.ifPresent(out::add);
      out.add(decoder);
      return out;
    }

    private CodeBlock configLiteral() {
      StackSpec d = spec.decoder();
      String qualified = spec.packageName().isEmpty() ? spec.interfaceName() : spec.packageName() + "." + spec.interfaceName();
      String dropout = decoder.dropoutConstant();
      return Skeleton.config(qualified, d.cell().name(), List.of(
          Skeleton.arg("features", 0), Skeleton.constantArg("VOCAB"), Skeleton.constantArg("EMBEDDING_DIM"),
          Skeleton.constantArg("HIDDEN"), Skeleton.constantArg("LAYERS"), Skeleton.arg("bidirectional", spec.bridged()),
          Skeleton.arg("bias", d.bias()), d.usesDropout() ? Skeleton.constantArg(dropout)
              : Skeleton.arg("dropout", Literals.doubleLiteral(d.dropout())),
          CodeBlock.of("$T.$L", Names.TOPOLOGY, spec.topology().name()),
          spec.output() == spec.targetEmbedding().vocab() ? Skeleton.constantArg("VOCAB")
              : Skeleton.arg("output", spec.output()),
          Skeleton.arg("unrollSteps", 0), Skeleton.arg("unrollFactor", 0)));
    }

    // ------------------------------------------------------------ shapes


    /** The initialisation bound of a uniform parameter, 1/√fan_in. */
    private String bound(ParameterSpec p) {
      return switch (p.module()) {
        case "init" -> "1 / Math.sqrt(CONDITION)";
        case "bridge", "bridge_c" -> "1 / Math.sqrt(DIRECTIONS * HIDDEN)";
        default -> "1 / Math.sqrt(HIDDEN)";
      };
    }

    private String initComment(String module) {
      return switch (module) {
        case "init" -> "init: U(−1/√CONDITION, 1/√CONDITION), as nn.Linear";
        case "embedding", "src_embedding", "tgt_embedding" -> module + ": N(0, 1), as nn.Embedding";
        case "bridge", "bridge_c" -> module + ": U(−1/√fan_in, 1/√fan_in), as nn.Linear";
        case "fc" -> "fc: U(−1/√HIDDEN, 1/√HIDDEN), as nn.Linear";
        default -> module + ": U(−1/√HIDDEN, 1/√HIDDEN), as nn." + spec.cell().shortName();
      };
    }

    // ------------------------------------------------------------ fields

    /** Buffers of the decoder side, sized per (batch, target steps), in allocation order. */
    private List<BufferField> decoderBuffers() {
      List<BufferField> out = new ArrayList<>(decoder.inputBuffers());
      String rows = decoder.context().rows();
      out.add(BufferField.matrix("fcInput", "the output layer's input: the top layer's outputs",
          CodeBlock.of("$T.create(dataType, $L, HIDDEN)", Names.ND4J, rows)));
      out.add(BufferField.matrix("dFcInput", "∂L/∂fcInput", CodeBlock.of("$T.create(dataType, $L, HIDDEN)", Names.ND4J, rows)));
      out.add(BufferField.matrix("logits", "the logits, time-major [T·B, VOCAB]",
          CodeBlock.of("$T.create(dataType, $L, VOCAB)", Names.ND4J, rows)));
      out.add(BufferField.matrix("dLogits", "∂L/∂logits", CodeBlock.of("$T.create(dataType, $L, VOCAB)", Names.ND4J, rows)));
      out.addAll(decoder.layerBuffers());
      return out;
    }

    /** Buffers of the encoder, sized per (batch, source steps). */
    private List<BufferField> encoderBuffers() {
      List<BufferField> out = new ArrayList<>();
      encoder.ifPresent(e -> {
        out.addAll(e.inputBuffers());
        out.addAll(e.layerBuffers());
      });
      return out;
    }

    private void fields(TypeSpec.Builder type) {
      Skeleton.modelFields(type, self, spec.parameters(), stacks(), false, dropout);
      type.addField(FieldSpec.builder(int.class, "batch", Modifier.PRIVATE)
          .addJavadoc("Batch size the buffers are sized for (0 before the first call).\n").build());
      encoder.ifPresent(e -> type.addField(FieldSpec.builder(int.class, e.context().steps(), Modifier.PRIVATE)
          .addJavadoc("Source length the encoder's buffers are sized for (0: not sized).\n").build()));
      type.addField(FieldSpec.builder(int.class, decoder.context().steps(), Modifier.PRIVATE)
          .addJavadoc("Target length the decoder's buffers are sized for (0: not sized).\n").build());
      encoder.ifPresent(e -> type.addField(FieldSpec.builder(boolean.class, e.context().name("masked"), Modifier.PRIVATE)
          .addJavadoc("Whether the current source batch has a mask (padded sequences).\n").build()));
      for (StackGenerator s : stacks()) {
        type.addField(FieldSpec.builder(int[].class, s.context().name("tokenIds"), Modifier.PRIVATE)
            .addJavadoc("The current call's $L token ids, time-major.\n", s == decoder ? "input" : "source").build());
      }
      type.addField(LayerMembers.gradientBuffersSized());
      List<BufferField> buffers = new ArrayList<>(handOver.buffers());
      buffers.addAll(encoderBuffers());
      buffers.addAll(decoderBuffers());
      LayerMembers.bufferFields(type, buffers);
      Skeleton.gradientFields(type, spec.parameters());
    }

    // ------------------------------------------------------------ constructors

    private void constructors(TypeSpec.Builder type) {
      Skeleton.constructors(type, self, spec.parameters(), stacks(), dropout, this::bound,
          this::initComment);
    }

    // ------------------------------------------------------------ public API

    private static MethodSpec.Builder override(String name) {
      return Skeleton.override(name);
    }

    private void api(TypeSpec.Builder type) {
      Skeleton.modelApi(type, self, dropout);
      type.addMethod(override("startToken").returns(int.class).addStatement("return START").build());
      type.addMethod(override("endToken").returns(int.class).addStatement("return END").build());
      type.addMethod(override("maxSteps").returns(int.class).addStatement("return MAX_STEPS").build());
      type.addMethod(override("vocabulary").returns(int.class).addStatement("return VOCAB").build());
      if (seq2seq) {
        type.addMethod(override("sourceVocabulary").returns(int.class).addStatement("return SOURCE_VOCAB").build());
      } else {
        type.addMethod(override("conditionSize").returns(int.class).addStatement("return CONDITION").build());
      }
      String inputs = seq2seq ? "src, srcMask" : "condition";
      MethodSpec.Builder forward = override("forward")
          .addJavadoc("Logits [B, T, VOCAB] with teacher forcing; evaluation mode.\n")
          .returns(Names.INDARRAY);
      MethodSpec.Builder gradients = override("gradients")
          .addJavadoc("Mean cross-entropy against {@code y} and ∂L/∂ of every parameter; training mode.\n"
              + "Teacher forcing: {@code tgtIn} [B, T] is START followed by the target tokens (PAD after each row's\n"
              + "end), {@code y} [B, T] is the target tokens followed by END, then -100 (ignored).\n")
          .returns(Names.GRADIENTS);
      for (MethodSpec.Builder m : List.of(forward, gradients)) {
        if (seq2seq) {
          m.addParameter(Names.INDARRAY, "src").addParameter(Names.INDARRAY, "srcMask");
        } else {
          m.addParameter(Names.INDARRAY, "condition");
        }
        m.addParameter(Names.INDARRAY, "tgtIn");
      }
      gradients.addParameter(Names.INDARRAY, "y");
      forward.addCode(Skeleton.guarded(CodeBlock.builder()
          .addStatement("prepare($L, tgtIn)", inputs)
          .addStatement(encoderDropout ? "begin(false)" : "begin()")
          .addStatement(decoderDropout ? "run(false)" : "run()")
          .addStatement("return $T.batchFirst(logits, batch, $N)", Names.SEQUENCES, decoder.context().steps())
          .build()));
      gradients.addCode(Skeleton.guarded(CodeBlock.builder()
          .addStatement("prepare($L, tgtIn)", inputs)
          .addStatement("long[] targets = $T.stepTargetsTimeMajor(y, batch, $N, VOCAB)", Names.INPUTS,
              decoder.context().steps())
          .addStatement("allocateGradients()")
          .addStatement(encoderDropout ? "begin(true)" : "begin()")
          .addStatement(decoderDropout ? "run(true)" : "run()")
          .addStatement("double loss = $T.lossAndGradient(logits, targets, dLogits)", Names.CROSS_ENTROPY)
          .addStatement("newGradients()")
          .addStatement("backward()")
          .addStatement("return new $T(loss, $T.named(PARAMETER_NAMES, $L), spares)", Names.GRADIENTS, Names.PARAMETERS,
              Skeleton.arguments(spec.parameters(), true))
          .build()));
      type.addMethod(forward.build());
      type.addMethod(gradients.build());

      MethodSpec.Builder initial = override(seq2seq ? "encode" : "initialState").returns(state);
      CodeBlock.Builder initialBody = CodeBlock.builder();
      if (seq2seq) {
        initial.addJavadoc("The decoder's initial state for a source batch: the encoder's final state$L.\n",
                spec.bridged() ? " through the bridge" : "")
            .addParameter(Names.INDARRAY, "src").addParameter(Names.INDARRAY, "srcMask");
        initialBody.addStatement("prepareSource(src, srcMask)");
      } else {
        initial.addJavadoc("The decoder's state before its first step: tanh(init(condition)) per layer$L.\n",
                lstm ? ", c = 0" : "")
            .addParameter(Names.INDARRAY, "condition");
        initialBody.addStatement("prepareCondition(condition)");
      }
      initialBody.addStatement(encoderDropout ? "begin(false)" : "begin()").addStatement("return stateAt(0)");
      type.addMethod(initial.addCode(Skeleton.guarded(initialBody.build())).build());

      type.addMethod(override("step")
          .addJavadoc("One decoding step for your own loops: logits [B, VOCAB] for {@code tokens} [B] from "
              + "{@code state},\nand the state after it; evaluation mode. Sizes this model's buffers for one step.\n")
          .returns(ParameterizedTypeName.get(Names.STEP, state))
          .addParameter(Names.INDARRAY, "tokens").addParameter(state, "state")
          .addCode(Skeleton.guarded(CodeBlock.builder()
              .addStatement("int[] ids = $T.tokenVector(tokens, VOCAB)", Names.INPUTS)
              .addStatement(seq2seq ? "allocate(ids.length, 0, 1)" : "allocate(ids.length, 1)")
              .addStatement("restore(state)")
              .addStatement("decodeStep(ids)")
              .addStatement("return new $T<>(logits.dup(), stateAt(1))", Names.STEP)
              .build()))
          .build());
      type.addMethod(override("session")
          .addJavadoc("A decoding session from {@code state}, each row repeated {@code copies} times; "
              + "it has its own buffers.\n")
          .returns(Names.DECODER_SESSION)
          .addParameter(state, "state").addParameter(int.class, "copies")
          .addStatement("return new Session(state, copies)")
          .build());
    }

    // ------------------------------------------------------------ internals

    private void internals(TypeSpec.Builder type) {
      String steps = decoder.context().steps();
      // prepare
      MethodSpec.Builder prepare = MethodSpec.methodBuilder("prepare").addModifiers(Modifier.PRIVATE)
          .addJavadoc("Checks the inputs, sizes the buffers, and reads the inputs in.\n");
      if (seq2seq) {
        prepare.addParameter(Names.INDARRAY, "src").addParameter(Names.INDARRAY, "srcMask");
      } else {
        prepare.addParameter(Names.INDARRAY, "condition");
      }
      prepare.addParameter(Names.INDARRAY, "tgtIn")
          .addStatement("$T.tokens($S, tgtIn, VOCAB)", Names.INPUTS, "tgtIn")
          .addStatement("$T.sameBatch($S, tgtIn, $S, $L)", Names.INPUTS, "tgtIn", seq2seq ? "src" : "condition",
              seq2seq ? "src" : "condition");
      if (seq2seq) {
        prepare.addStatement("prepareSource(src, srcMask, (int) tgtIn.size(1))");
      } else {
        prepare.addStatement("prepareCondition(condition, (int) tgtIn.size(1))");
      }
      prepare.addComment("the embedding lookup is a gather of rows, never a one-hot product");
      prepare.addCode(decoder.lookup("tgtIn"));
      type.addMethod(prepare.build());

      if (seq2seq) {
        StackGenerator e = encoder.get();
        String encSteps = e.context().steps();
        type.addMethod(MethodSpec.methodBuilder("prepareSource").addModifiers(Modifier.PRIVATE)
            .addJavadoc("Checks the source, keeps the decoder's buffers if the batch is unchanged, and runs nothing.\n")
            .addParameter(Names.INDARRAY, "src").addParameter(Names.INDARRAY, "srcMask")
            .addStatement("prepareSource(src, srcMask, $N == 0 || batch != src.size(0) ? 1 : $N)", steps, steps)
            .build());
        MethodSpec.Builder ps = MethodSpec.methodBuilder("prepareSource").addModifiers(Modifier.PRIVATE)
            .addJavadoc("Checks the source, sizes the buffers for it and {@code targetSteps} decoder steps,\nand reads it in.\n")
            .addParameter(Names.INDARRAY, "src").addParameter(Names.INDARRAY, "srcMask")
            .addParameter(int.class, "targetSteps")
            .addStatement("$T.tokens($S, src, SOURCE_VOCAB)", Names.INPUTS, "src")
            .addStatement("int batch = (int) src.size(0)")
            .addStatement("int $N = (int) src.size(1)", encSteps)
            .addStatement("int[] lengths = srcMask == null ? null : $T.mask(srcMask, batch, $N)", Names.INPUTS, encSteps)
            .addStatement("allocate(batch, $N, targetSteps)", encSteps)
            .addStatement("$N = lengths != null", e.context().name("masked"))
            .addCode(e.lookup("src"))
            .beginControlFlow("if ($N)", e.context().name("masked"))
            .addStatement("$T.fillMask($N, lengths, batch, $N)", Names.SEQUENCES, e.context().name("maskSeq"), encSteps)
            .endControlFlow();
        type.addMethod(ps.build());
      } else {
        type.addMethod(MethodSpec.methodBuilder("prepareCondition").addModifiers(Modifier.PRIVATE)
            .addJavadoc("Checks the condition and reads it in, keeping the decoder's buffers if the batch is unchanged.\n")
            .addParameter(Names.INDARRAY, "condition")
            .addStatement("prepareCondition(condition, $N == 0 || batch != condition.size(0) ? 1 : $N)", steps, steps)
            .build());
        type.addMethod(MethodSpec.methodBuilder("prepareCondition").addModifiers(Modifier.PRIVATE)
            .addJavadoc("Checks the condition, sizes the buffers for it and {@code targetSteps} steps, and reads it in.\n")
            .addParameter(Names.INDARRAY, "condition").addParameter(int.class, "targetSteps")
            .addStatement("$T.condition(condition, CONDITION)", Names.INPUTS)
            .addStatement("allocate((int) condition.size(0), targetSteps)")
            .addStatement("this.condition.assign(condition)")
            .build());
      }
      allocate(type);
      type.addMethod(handOver.begin(encoderDropout));
      run(type);
      backward(type);
      decodeStep(type);
      restore(type);
      stateAt(type);
    }

    private void allocate(TypeSpec.Builder type) {
      String steps = decoder.context().steps();
      MethodSpec.Builder m = MethodSpec.methodBuilder("allocate").addModifiers(Modifier.PRIVATE)
          .addJavadoc("Sizes the forward pass's buffers for {@code batch} rows$L\nand {@code $L} decoder steps; buffers whose "
              + "shape is unchanged are kept.\n", seq2seq ? ", {@code " + encoder.get().context().steps()
              + "} source steps (0: leave the encoder's as they are)" : "", steps)
          .addParameter(int.class, "batch");
      encoder.ifPresent(e -> m.addParameter(int.class, e.context().steps()));
      m.addParameter(int.class, steps);
      m.beginControlFlow("if (batch != this.batch)")
          .addStatement("this.batch = batch");
      encoder.ifPresent(e -> m.addStatement("this.$N = 0", e.context().steps()));
      m.addStatement("this.$N = 0", steps);
      forward(m, handOver.buffers());
      m.addStatement("gradientBuffersSized = false");
      m.endControlFlow();
      encoder.ifPresent(e -> {
        String s = e.context().steps();
        m.beginControlFlow("if ($N > 0 && $N != this.$N)", s, s, s)
            .addStatement("this.$N = $N", s, s)
            .addStatement("int $N = batch * $N", e.context().rows(), s);
        forward(m, encoderBuffers());
        m.addStatement("gradientBuffersSized = false");
        m.endControlFlow();
      });
      m.beginControlFlow("if ($N != this.$N)", steps, steps)
          .addStatement("this.$N = $N", steps, steps)
          .addStatement("int $N = batch * $N", decoder.context().rows(), steps);
      forward(m, decoderBuffers());
      m.addStatement("gradientBuffersSized = false");
      m.endControlFlow();
      type.addMethod(m.build());
      List<CodeBlock> rows = new ArrayList<>();
      encoder.ifPresent(e -> rows.add(CodeBlock.of("int $N = batch * $N", e.context().rows(), e.context().steps())));
      rows.add(CodeBlock.of("int $N = batch * $N", decoder.context().rows(), steps));
      List<BufferField> all = new ArrayList<>(handOver.buffers());
      all.addAll(encoderBuffers());
      all.addAll(decoderBuffers());
      type.addMethod(LayerMembers.allocateGradients(rows, all));
      stacks().forEach(s -> s.allocators().forEach(type::addMethod));
    }

    /** Allocation statements for the buffers of the forward pass among {@code buffers}. */
    private static void forward(MethodSpec.Builder m, List<BufferField> buffers) {
      for (BufferField b : buffers) {
        if (!b.gradient()) {
          m.addStatement(b.statement());
        }
      }
    }

    /** The initial-state arrays of a decoder layer: h, and c for an LSTM. */
    private List<String> stateNames() {
      return lstm ? List.of("h", "c") : List.of("h");
    }

    private List<RecurrenceGenerator> decoderLayers() {
      return decoder.layers();
    }

    private void run(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("run").addModifiers(Modifier.PRIVATE)
          .addJavadoc("The decoder from its initial state, every layer, then the output layer.\n");
      if (decoderDropout) {
        m.addParameter(boolean.class, "training");
      }
      m.addCode(decoder.forward());
      m.addComment("logits = h_top W_fcᵀ + b_fc at every step");
      for (RecurrenceGenerator g : decoder.top()) {
        m.addStatement("$N.assign($N)", g.names().field("outputSlot"), g.names().field("outputSeq"));
      }
      m.addStatement("$T.timesTransposed(logits, fcInput, fcWeight)", Names.OPS);
      m.addStatement("$T.addRow(logits, fcBias)", Names.OPS);
      type.addMethod(m.build());
    }

    private void backward(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("backward").addModifiers(Modifier.PRIVATE)
          .addJavadoc("Backpropagation through time, from ∂L/∂logits through the decoder and into "
              + (seq2seq ? "the encoder" : "init") + ".\n");
      m.addComment("∂L/∂W_fc = Σ ∂L/∂logitsᵀ fcInput,   ∂L/∂b_fc = Σ ∂L/∂logits");
      m.addStatement("$T.transposedTimes(gradFcWeight, dLogits, fcInput)", Names.OPS);
      m.addStatement("$T.columnSums(gradFcBias, dLogits)", Names.OPS);
      m.addComment("∂L/∂fcInput = ∂L/∂logits W_fc");
      m.addStatement("$T.product(dFcInput, dLogits, fcWeight)", Names.OPS);
      m.addCode(decoder.backward(""));
      handOver.backward(m);
      type.addMethod(m.build());
    }

    private void decodeStep(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("decodeStep").addModifiers(Modifier.PRIVATE)
          .addJavadoc("One decoder step from the state in block 0, for buffers sized for one step:\n"
              + "logits for {@code ids} and the state after it in block 1.\n")
          .addParameter(int[].class, "ids")
          .addStatement("$T.pullRows($N, $N, 1, ids)", Names.ND4J, decoder.context().embeddingField(),
              decoder.context().input(0))
          .addStatement(decoderDropout ? "run(false)" : "run()");
      type.addMethod(m.build());
    }

    private void restore(TypeSpec.Builder type) {
      MethodSpec.Builder m = MethodSpec.methodBuilder("restore").addModifiers(Modifier.PRIVATE)
          .addJavadoc("Checks {@code state} against the batch and copies it into block 0 of every decoder layer.\n")
          .addParameter(state, "state")
          .beginControlFlow("if (state == null)")
          .addStatement("throw new $T($S)", IllegalArgumentException.class,
              "state is null; start from " + (seq2seq ? "encode(src, srcMask)" : "initialState(condition)"))
          .endControlFlow();
      for (RecurrenceGenerator g : decoderLayers()) {
        for (String s : stateNames()) {
          String name = s + g.names().layer.index();
          m.addStatement("$T.state($S, state.$N(), batch, HIDDEN)", Names.INPUTS, name, name);
        }
      }
      for (RecurrenceGenerator g : decoderLayers()) {
        for (String s : stateNames()) {
          m.addStatement("$N[0].assign(state.$N())", g.names().field(s), s + g.names().layer.index());
        }
      }
      type.addMethod(m.build());
    }

    private void stateAt(TypeSpec.Builder type) {
      List<String> args = new ArrayList<>();
      for (RecurrenceGenerator g : decoderLayers()) {
        for (String s : stateNames()) {
          args.add(g.names().field(s) + "[block].dup()");
        }
      }
      type.addMethod(MethodSpec.methodBuilder("stateAt").addModifiers(Modifier.PRIVATE)
          .addJavadoc("Copies of every decoder layer's state block {@code block}.\n")
          .returns(state).addParameter(int.class, "block")
          .addStatement("return new $T($L)", state, String.join(", ", args))
          .build());
    }

    private TypeSpec stateClass() {
      return Skeleton.stateClass("The decoder's state between two steps", "decoder layer", spec.decoder().layers(), lstm);
    }
  }
}
