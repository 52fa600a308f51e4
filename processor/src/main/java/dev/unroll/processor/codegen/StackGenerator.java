package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import dev.unroll.processor.math.CellMath;
import dev.unroll.processor.model.LayerSpec;
import dev.unroll.processor.model.StackRole;
import dev.unroll.processor.model.StackSpec;
import dev.unroll.processor.model.UnrollPlan;
import java.util.ArrayList;
import java.util.List;

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
    return stack().role() == StackRole.RNN ? "DROPOUT" : stack().role().module().toUpperCase(java.util.Locale.ROOT)
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
      out.add(BufferField.matrix(context.name("maskSeq"), "1 at valid steps, 0 at padding, time-major [T·B, 1]",
          CodeBlock.of("$T.create(dataType, $L, 1)", Names.ND4J, rows)));
      out.add(BufferField.steps(context.name("mask"), "row block of {@link #" + context.name("maskSeq") + "} per step",
          CodeBlock.of("$T.rowBlocks($N, batch, $L)", Names.VIEWS, context.name("maskSeq"), context.steps())));
    }
    for (int l = 1; l < stack().layers(); l++) {
      String layerWord = context.layerWord().toLowerCase(java.util.Locale.ROOT);
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

  /** The output slots of every layer and each layer's work buffers; after the top consumer's. */
  List<BufferField> layerBuffers() {
    List<BufferField> out = new ArrayList<>();
    for (RecurrenceGenerator g : layers) {
      LayerSpec l = g.names().layer;
      boolean top = l.index() == stack().layers() - 1;
      String consumer = top ? context.topConsumer() : context.input(l.index() + 1);
      if (consumer == null) {
        continue;
      }
      String from = l.reverse() ? "HIDDEN" : "0";
      String to = l.reverse() ? "2 * HIDDEN" : "HIDDEN";
      out.add(BufferField.matrix(g.names().field("outputSlot"), "the columns of {@link #" + consumer
              + "} that hold this direction's output",
          CodeBlock.of("$T.columns($N, $L, $L)", Names.VIEWS, consumer, from, to)));
      out.add(BufferField.matrix(g.names().field("dOutputSlot"), "∂L/∂ of {@link #" + g.names().field("outputSlot") + "}",
          CodeBlock.of("$T.columns($N, $L, $L)", Names.VIEWS, gradientOf(consumer), from, to)));
    }
    for (RecurrenceGenerator g : layers) {
      out.addAll(g.buffers());
      out.addAll(g.outputGradientViews());
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
        code.add("// $L $L reads $L $L's outputs$L\n", context.layerWord().toLowerCase(java.util.Locale.ROOT), l,
            context.layerWord().toLowerCase(java.util.Locale.ROOT), l - 1,
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
        code.addStatement("$T.both(this::$N, this::$N)", Names.DIRECTIONS, dirs.get(0).names().method("Forward"),
            dirs.get(1).names().method("Forward"));
      } else {
        code.addStatement("$N()", dirs.get(0).names().method("Forward"));
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
        code.addStatement("$T.both(this::$N, this::$N)", Names.DIRECTIONS, dirs.get(0).names().method("Backward"),
            dirs.get(1).names().method("Backward"));
      } else {
        code.addStatement("$N($L)", dirs.get(0).names().method("Backward"), stop);
      }
      if (l > 0 || context.embedded()) {
        String target = l > 0 ? dInput(l) : context.name("dxSeq");
        code.add("// ∂L/∂(input of $L $L) = $L\n", context.layerWord().toLowerCase(java.util.Locale.ROOT), l,
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
}
