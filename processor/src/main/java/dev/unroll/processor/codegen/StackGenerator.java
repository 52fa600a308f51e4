package dev.unroll.processor.codegen;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.MethodSpec;
import dev.unroll.processor.math.CellMath;
import dev.unroll.processor.model.LayerSpec;
import dev.unroll.processor.model.StackRole;
import dev.unroll.processor.model.StackSpec;
import dev.unroll.processor.model.UnrollPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * One recurrent stack of the generated class: the buffers between its layers, the forward pass
 * through its layers (with dropout between them) and the backward pass down to its input and
 * embedding. What reads the stack's outputs, and what starts its state, belong to the class.
 */
final class StackGenerator {
  private final StackContext context;
  private final TimeLoops loops;
  private final List<RecurrenceGenerator> layers = new ArrayList<>();

  StackGenerator(StackContext context, CellMath math, UnrollPlan plan) {
    this.context = context;
    this.loops = new TimeLoops(plan, context.steps());
    for (LayerSpec l : context.stack().layerSpecs()) {
      layers.add(new RecurrenceGenerator(context, math, l, loops));
    }
    for (RecurrenceGenerator g : layers) {
      g.group(layers.stream().filter(o -> o.reverse() == g.reverse()).toList());
    }
    share(ClassName.bestGuess(LayerNames.holderClass(context.stack().role())), List.of(this));
  }

  /** The class holding one layer and direction of this stack: {@code Layer}, {@code EncoderLayer}. */
  private ClassName holder;
  /** The stacks whose layers this holder class holds, this one among them (the first one sizes them). */
  private List<StackGenerator> holderGroup;

  /**
   * Holds this stack's layers in {@code holder}, with the layers of every stack of {@code group}:
   * an encoder's and a decoder's layers share one class, and one {@code allocate(l, steps)}.
   */
  void share(ClassName holder, List<StackGenerator> group) {
    this.holder = holder;
    this.holderGroup = group;
    loops.holder(holder);
    layers.forEach(g -> g.holder(holder));
  }

  ClassName holder() {
    return holder;
  }

  /** The stacks whose layers share the holder class. */
  List<StackGenerator> holderGroup() {
    return holderGroup;
  }

  /** Whether the holder's allocating methods serve several stacks: then they take the step count. */
  private boolean manyStacks() {
    return holderGroup.size() > 1;
  }

  /** What the holder's allocating methods call the row and step counts. */
  private String rowsName() {
    return manyStacks() ? "rows" : context.rows();
  }

  private String stepsName() {
    return manyStacks() ? "steps" : context.steps();
  }

  StackContext context() {
    return context;
  }

  StackSpec stack() {
    return context.stack();
  }

  /** Every layer and direction, in {@link StackSpec#layerSpecs()} order. */
  List<RecurrenceGenerator> layers() {
    return layers;
  }

  /** The time loops, with the methods they created for written-out blocks. */
  TimeLoops loops() {
    return loops;
  }

  /** The directions of layer {@code l}. */
  List<RecurrenceGenerator> layer(int l) {
    return layers.stream().filter(g -> g.names().layer.index() == l).toList();
  }

  /** The directions of the top layer. */
  List<RecurrenceGenerator> top() {
    return layer(stack().layers() - 1);
  }

  /** The constant holding this stack's dropout rate: {@code DROPOUT}, {@code ENCODER_DROPOUT}. */
  String dropoutConstant() {
    return stack().role() == StackRole.RNN ? "DROPOUT" : stack().role().module().toUpperCase(Locale.ROOT)
        + "_DROPOUT";
  }

  /** Width of the top layer's output: {@code HIDDEN} or {@code DIRECTIONS * HIDDEN}. */
  String topWidth() {
    return stack().bidirectional() ? "DIRECTIONS * HIDDEN" : "HIDDEN";
  }

  // ---------------------------------------------------------------- buffers

  /** The input (and its gradient), the mask, and the inputs of the upper layers; before the top consumer's. */
  List<BufferField> inputBuffers() {
    List<BufferField> out = new ArrayList<>();
    String rows = context.rows();
    String x = context.input(0);
    out.add(BufferField.matrix(x, "the input" + of() + ", time-major: step t of every row is row block t",
        CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, context.inputWidth())));
    if (context.embedded()) {
      out.add(BufferField.matrix(context.name("dxSeq"), "∂L/∂(embedded input" + of() + "), time-major",
          CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, context.inputWidth())));
    } else {
      out.add(BufferField.matrix(context.name("xByStep"), "{@link #" + x + "} as [T, B, FEATURES], for copying the input in",
          CodeBlock.of("$N.reshape($L, batch, FEATURES)", x, context.steps())));
    }
    if (context.masked()) {
      out.add(BufferField.matrix(context.name("maskSeq"), "1 at valid steps, 0 at padding, time-major [T·B, 1]; {@code " + context.name("mask") + "[t]}: step t's rows",
          CodeBlock.of("$T.create(dataType, $L, 1)", Names.ND4J, rows)));
      out.add(BufferField.steps(context.name("mask"), null,
          CodeBlock.of("$T.rowBlocks($N, batch, $L)", Names.VIEWS, context.name("maskSeq"), context.steps())));
    }
    for (int l = 1; l < stack().layers(); l++) {
      String layerWord = lowerLayerWord();
      out.add(BufferField.matrix(context.input(l), "the input of " + layerWord + " " + l + ": the outputs of "
              + layerWord + " " + (l - 1),
          CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, topWidth())));
      out.add(BufferField.matrix(dInput(l), "∂L/∂(input of " + layerWord + " " + l + ")",
          CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, topWidth())));
      if (stack().usesDropout()) {
        out.add(BufferField.matrix(dropoutMask(l), "this call's dropout mask on the input of " + layerWord + " " + l
                + ": 0 or 1/(1 − " + dropoutConstant() + ")",
            CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, topWidth())));
      }
    }
    return out;
  }

  /**
   * Each layer's wiring (its input, the columns of its consumer that hold its output), the calls that
   * size its own buffers, and those of its buffers that not every layer of the stack has; after the
   * top consumer's.
   */
  List<BufferField> layerBuffers() {
    List<BufferField> out = new ArrayList<>();
    Set<String> common = commonBuffers().stream().map(b -> b.statement().toString()).collect(Collectors.toSet());
    String steps = manyStacks() ? ", " + context.steps() : "";
    for (RecurrenceGenerator g : layers) {
      out.addAll(wiring(g));
      out.add(BufferField.call(CodeBlock.of("allocate($N$L)", g.names().instance(), steps), false));
      out.add(BufferField.call(CodeBlock.of("allocateGradients($N$L)", g.names().instance(), steps), true));
      List<BufferField> shared = own(g, RecurrenceGenerator::l, rowsName(), stepsName());
      List<BufferField> mine = own(g, g.names()::field, context.rows(), context.steps());
      for (int k = 0; k < mine.size(); k++) {
        if (!common.contains(shared.get(k).statement().toString())) {
          out.add(mine.get(k));
        }
      }
    }
    return out;
  }

  /** A layer's input and output slots, which the class assigns: they name the class's buffers. */
  List<BufferField> wiring(RecurrenceGenerator g) {
    List<BufferField> out = new ArrayList<>();
    LayerSpec l = g.names().layer;
    out.add(BufferField.matrix(g.names().field("input"), "the input: x, or the outputs of the layer below (time-major)",
        CodeBlock.of("$N", context.input(l.index()))));
    boolean top = l.index() == stack().layers() - 1;
    String consumer = top ? context.topConsumer() : context.input(l.index() + 1);
    if (consumer != null) {
      String from = l.reverse() ? "HIDDEN" : "0";
      String to = l.reverse() ? "2 * HIDDEN" : "HIDDEN";
      out.add(BufferField.matrix(g.names().field("outputSlot"), "the columns of the next layer's input that hold this layer's output",
          CodeBlock.of("$T.columns($N, $L, $L)", Names.VIEWS, consumer, from, to)));
      out.add(BufferField.matrix(g.names().field("dOutputSlot"), "∂L/∂ of {@link #outputSlot}",
          CodeBlock.of("$T.columns($N, $L, $L)", Names.VIEWS, gradientOf(consumer), from, to)));
    }
    return out;
  }

  /** A layer's own buffers, named by {@code ref}, sized by {@code rows} and {@code steps}. */
  private static List<BufferField> own(RecurrenceGenerator g, UnaryOperator<String> ref, String rows, String steps) {
    List<BufferField> out = new ArrayList<>(g.buffers(ref, rows, steps));
    out.addAll(g.outputGradientViews(ref, steps));
    return out;
  }

  /** A layer's own buffers as the holder's allocating methods size them. */
  private List<BufferField> shared(RecurrenceGenerator g) {
    return own(g, RecurrenceGenerator::l, rowsName(), stepsName());
  }

  /** The buffers every layer of the holder group has, alike, as {@code allocate(l)} sizes them. */
  List<BufferField> commonBuffers() {
    List<BufferField> out = new ArrayList<>(holderGroup.get(0).shared(holderGroup.get(0).layers.get(0)));
    for (StackGenerator s : holderGroup) {
      for (RecurrenceGenerator g : s.layers) {
        Set<String> theirs = s.shared(g).stream().map(b -> b.statement().toString()).collect(Collectors.toSet());
        out.removeIf(b -> !theirs.contains(b.statement().toString()));
      }
    }
    return out;
  }

  /**
   * Every field of the holder's buffers: the wiring, then every layer's own buffers, each once, in
   * order, for every stack of the holder group.
   */
  List<BufferField> holderBuffers() {
    Map<String, BufferField> out = new LinkedHashMap<>();
    for (StackGenerator s : holderGroup) {
      for (RecurrenceGenerator g : s.layers) {
        for (BufferField b : s.wiring(g)) {
          out.putIfAbsent(b.local(), b);
        }
      }
    }
    for (StackGenerator s : holderGroup) {
      for (RecurrenceGenerator g : s.layers) {
        for (BufferField b : s.shared(g)) {
          out.putIfAbsent(b.local(), b);
        }
      }
    }
    return new ArrayList<>(out.values());
  }

  /**
   * {@code allocate(l)} and {@code allocateGradients(l)}: size the buffers every layer of the holder
   * group has, for the current shape (of {@code steps} steps where the group has several stacks);
   * none for a stack that is not the group's first.
   */
  List<MethodSpec> allocators() {
    List<MethodSpec> out = new ArrayList<>();
    if (holderGroup.get(0) != this) {
      return out;
    }
    String word = manyStacks() ? "layer" : lowerLayerWord();
    for (boolean gradients : List.of(false, true)) {
      MethodSpec.Builder m = MethodSpec.methodBuilder(gradients ? "allocateGradients" : "allocate")
          .addModifiers(Modifier.PRIVATE).addParameter(holder(), "l")
          .addJavadoc(gradients ? "Sizes the buffers of $L {@code l} that only backpropagation uses$L.\n"
              : "Sizes the buffers and views of $L {@code l}'s forward pass$L.\n", word,
              manyStacks() ? ", for {@code steps} steps" : "");
      if (manyStacks()) {
        m.addParameter(int.class, "steps");
      }
      m.addStatement("int $N = batch * $N", rowsName(), stepsName());
      commonBuffers().stream().filter(b -> b.gradient() == gradients).forEach(b -> m.addStatement(b.statement()));
      out.add(m.build());
    }
    return out;
  }

  private String of() {
    return stack().role() == StackRole.RNN ? "" : " of the " + stack().role().module();
  }

  private String dInput(int l) {
    return context.name("dInputSeq") + l;
  }

  private String dropoutMask(int l) {
    return context.name("dropoutMask") + l;
  }

  /** The gradient buffer of a buffer: {@code fcInput} → {@code dFcInput}. */
  static String gradientOf(String buffer) {
    return "d" + Character.toUpperCase(buffer.charAt(0)) + buffer.substring(1);
  }

  // ---------------------------------------------------------------- passes

  /** Looks up {@code ids} (an int64 [B, T] array expression) in the embedding, time-major, into the input. */
  CodeBlock lookup(String ids) {
    return CodeBlock.builder()
        .addStatement("$N = $T.timeMajorIds($L)", context.name("tokenIds"), Names.SEQUENCES, ids)
        .addStatement("$T.pullRows($N, $N, 1, $N)", Names.ND4J, context.embeddingField(), context.input(0),
            context.name("tokenIds"))
        .build();
  }

  /**
   * Every layer's forward pass, bottom to top; between layers, the outputs of one become the input of
   * the next, with dropout when {@code training} (a variable of the calling method) is true.
   */
  CodeBlock forward() {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int l = 0; l < stack().layers(); l++) {
      if (l > 0) {
        code.add("// $L $L reads $L $L's outputs$L\n", lowerLayerWord(), l,
            lowerLayerWord(), l - 1,
            stack().bidirectional() ? " (both directions side by side)" : "");
        for (RecurrenceGenerator g : layer(l - 1)) {
          code.addStatement("$N.assign($N)", g.names().field("outputSlot"), g.names().field("outputSeq"));
        }
        if (stack().usesDropout()) {
          code.beginControlFlow("if (training)")
              .add("// dropout: keep each unit with probability 1 − $L, scaled by 1/(1 − $L)\n", dropoutConstant(),
                  dropoutConstant())
              .addStatement("$T.fill($N, $L, dropoutRandom)", Names.DROPOUT, dropoutMask(l), dropoutConstant())
              .addStatement("$N.muli($N)", context.input(l), dropoutMask(l))
              .endControlFlow();
        }
      }
      List<RecurrenceGenerator> dirs = layer(l);
      if (dirs.size() == 2) {
        code.add("// the two directions are independent: the reverse one may run on a second core\n");
        code.addStatement("$T.both(() -> $N($N), () -> $N($N))", Names.DIRECTIONS,
            dirs.get(0).names().method("Forward"), dirs.get(0).names().instance(),
            dirs.get(1).names().method("Forward"), dirs.get(1).names().instance());
      } else {
        code.addStatement("$N($N)", dirs.get(0).names().method("Forward"), dirs.get(0).names().instance());
      }
    }
    return code.build();
  }

  /**
   * Every layer's backward pass, top to bottom, once the top layer's output gradients are in place;
   * ends with the embedding's gradient. {@code stop} is the argument for truncated BPTT, or "".
   */
  CodeBlock backward(String stop) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int l = stack().layers() - 1; l >= 0; l--) {
      List<RecurrenceGenerator> dirs = layer(l);
      if (dirs.size() == 2) {
        assert stop.isEmpty() : "a bidirectional stack is never truncated";
        code.addStatement("$T.both(() -> $N($N), () -> $N($N))", Names.DIRECTIONS,
            dirs.get(0).names().method("Backward"), dirs.get(0).names().instance(),
            dirs.get(1).names().method("Backward"), dirs.get(1).names().instance());
      } else {
        code.addStatement("$N($N$L)", dirs.get(0).names().method("Backward"), dirs.get(0).names().instance(),
            stop.isEmpty() ? "" : ", " + stop);
      }
      if (l > 0 || context.embedded()) {
        String target = l > 0 ? dInput(l) : context.name("dxSeq");
        code.add("// ∂L/∂(input of $L $L) = $L\n", lowerLayerWord(), l,
            stack().bidirectional() ? "∂L/∂a W_ih + ∂L/∂a_reverse W_ih_reverse" : "∂L/∂a W_ih");
        for (int k = 0; k < dirs.size(); k++) {
          LayerNames n = dirs.get(k).names();
          code.addStatement("$T.$L($N, $N, $N)", Names.OPS, k == 0 ? "product" : "addProduct", target,
              n.field("daSeq"), n.field("weightIh"));
        }
        if (l > 0 && stack().usesDropout()) {
          code.add("// through dropout: only kept units pass gradient, with the same scale\n");
          code.addStatement("$N.muli($N)", dInput(l), dropoutMask(l));
        }
        if (l == 0) {
          code.add("// ∂L/∂embedding: each token's row collects the gradient of every place it was read\n");
          code.addStatement("$T.scatterAddRows($N, $N, $N)", Names.SEQUENCES,
              RecurrenceGenerator.grad(context.embeddingField()), context.name("tokenIds"), context.name("dxSeq"));
        }
      }
    }
    return code.build();
  }

  /** How comments name a layer of this stack, in lower case: "layer", "encoder layer". */
  private String lowerLayerWord() {
    return context.layerWord().toLowerCase(Locale.ROOT);
  }
}
