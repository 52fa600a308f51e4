package dev.unroll.processor.codegen;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import dev.unroll.processor.math.Buffer;
import dev.unroll.processor.math.CellMath;
import dev.unroll.processor.math.Equation;
import dev.unroll.processor.math.Phase;
import dev.unroll.processor.math.View;
import dev.unroll.processor.model.LayerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.lang.model.element.Modifier;

/**
 * The recurrence of one layer and direction: its work buffers, its forward step, its backward step,
 * and the loops over time around them. The cell's statements come from {@link CellMath} verbatim;
 * this class only binds the names they use to this layer's arrays.
 */
final class RecurrenceGenerator {
  private final StackContext stack;
  private final CellMath math;
  private final LayerSpec layer;
  private final LayerNames names;
  private final TimeLoops loops;
  private final boolean bias;
  private final CellLoops cells;

  RecurrenceGenerator(StackContext stack, CellMath math, LayerSpec layer, TimeLoops loops) {
    this.stack = stack;
    this.math = math;
    this.layer = layer;
    this.names = new LayerNames(layer);
    this.loops = loops;
    this.bias = stack.stack().bias();
    this.cells = new CellLoops(stack.stack().cell(), math, bias);
  }

  LayerNames names() {
    return names;
  }

  /** Whether the layers of this stack may run as the fused op. */
  boolean fusedLstm() {
    return stack.fusedLstm();
  }

  /** Whether this layer's stack has two directions. */
  boolean bidirectional() {
    return stack.stack().bidirectional();
  }

  /** Whether this is the reverse direction of a bidirectional layer. */
  boolean reverse() {
    return layer.reverse();
  }

  /** Whether only this layer's final state is read, not its outputs (many-to-one top, encoder top). */
  private boolean finalStateOnly() {
    return layer.index() == stack.stack().layers() - 1 && stack.topFinalStateOnly();
  }

  /** The layers of this stack and direction, which share this one's methods (set by the stack). */
  private List<RecurrenceGenerator> group = List.of(this);

  void group(List<RecurrenceGenerator> group) {
    this.group = group;
  }

  /** How the shared methods read field {@code name} of their layer: {@code l.aSeq}. */
  static String l(String name) {
    return "l." + name;
  }

  /** The holder class of this stack's layers (set by the stack). */
  private ClassName holder;

  TypeName holder() {
    return holder;
  }

  void holder(ClassName holder) {
    this.holder = holder;
  }

  /**
   * Whether the layers of the group differ in reading only their final state (a many-to-one model's top
   * layer does, the others do not): then the shared methods ask the holder's {@code finalStateOnly}.
   */
  boolean finalStateOnlyVaries() {
    return group.stream().map(RecurrenceGenerator::finalStateOnly).distinct().count() > 1;
  }

  /** Whether this layer reads only its final state, asked by the holder's constructor when it varies. */
  boolean readsFinalStateOnly() {
    return finalStateOnly();
  }

  // ---------------------------------------------------------------- buffers

  /**
   * Work-buffer fields of this layer and direction, in allocation order; {@code ref} names a field as
   * the allocating code reads it ({@code l.aSeq}, {@code layer1.aSeq}).
   */
  List<BufferField> buffers(UnaryOperator<String> ref) {
    return buffers(ref, stack.rows(), stack.steps());
  }

  /** {@link #buffers(UnaryOperator)} with the row and step counts named {@code rows} and {@code steps}. */
  List<BufferField> buffers(UnaryOperator<String> ref, String rows, String steps) {
    List<BufferField> out = new ArrayList<>();
    out.add(BufferField.matrix(ref.apply("aSeq"), "gate pre-activations, then activations, of every step; {@code a[t]}: step t's rows",
        CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, Expressions.GATE_WIDTH)));
    out.add(BufferField.steps(ref.apply("a"), null,
        CodeBlock.of("$T.rowBlocks($N, batch, $L)", Names.VIEWS, ref.apply("aSeq"), steps)));
    out.add(BufferField.matrix(ref.apply("daSeq"), "∂L/∂a of every step; {@code da[t]}: step t's rows",
        CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, Expressions.GATE_WIDTH)));
    out.add(BufferField.steps(ref.apply("da"), null,
        CodeBlock.of("$T.rowBlocks($N, batch, $L)", Names.VIEWS, ref.apply("daSeq"), steps)));
    stateBuffers(out, ref, rows, steps, "h", "hidden state");
    if (math.hasCellState()) {
      stateBuffers(out, ref, rows, steps, "c", "cell state");
    }
    out.add(BufferField.matrix(ref.apply("hPrevSeq"), inTime("h_{t-1}") + " of every step, in step order (a view)",
        layer.reverse()
            ? CodeBlock.of("$T.rows($N, batch, $L + batch)", Names.VIEWS, ref.apply("hSeq"), rows)
            : CodeBlock.of("$T.rows($N, 0, $L)", Names.VIEWS, ref.apply("hSeq"), rows)));
    if (!finalStateOnly()) {
      out.add(BufferField.matrix(ref.apply("outputSeq"), "h_t of every step, in step order: this layer's output (a view)",
          layer.reverse()
              ? CodeBlock.of("$T.rows($N, 0, $L)", Names.VIEWS, ref.apply("hSeq"), rows)
              : CodeBlock.of("$T.rows($N, batch, $L + batch)", Names.VIEWS, ref.apply("hSeq"), rows)));
    }
    for (Buffer b : math.buffers()) {
      if (b.scope() == Buffer.Scope.STEP) {
        out.add(BufferField.matrix(ref.apply(b.name() + "Seq"), b.doc() + "; {@code " + b.name() + "[t]}: step t's rows",
            CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, Expressions.blocks(b.blocks()))));
        out.add(BufferField.steps(ref.apply(b.name()), null,
            CodeBlock.of("$T.rowBlocks($N, batch, $L)", Names.VIEWS, ref.apply(b.name() + "Seq"), steps)));
      } else {
        out.add(BufferField.matrix(ref.apply(b.name()), b.doc(),
            CodeBlock.of("$T.create(dataType, batch, $L)", Names.ND4J, Expressions.blocks(b.blocks()))));
      }
    }
    Set<String> seqNames = Statements.identifiers(math.weightGradients(bias));
    for (View v : math.views()) {
      if (isWeight(v.buffer())) {
        continue;
      }
      Optional<Buffer> owner = math.buffers().stream().filter(b -> b.name().equals(v.buffer())).findFirst();
      boolean perStep = owner.map(b -> b.scope() == Buffer.Scope.STEP).orElse(true);
      if (perStep) {
        out.add(BufferField.steps(ref.apply(v.name()), "columns " + v.from() + " to " + v.to() + " (× H) of {@link #"
                + v.buffer() + "} per step",
            CodeBlock.of("$T.columns($N, $L, $L)", Names.VIEWS, ref.apply(v.buffer()),
                Expressions.blocks(v.from()), Expressions.blocks(v.to()))));
        if (seqNames.contains(v.name() + "Seq")) {
          out.add(BufferField.matrix(ref.apply(v.name() + "Seq"), "columns of {@link #" + v.buffer() + "Seq"
                  + "} for every step (a view)",
              CodeBlock.of("$T.columns($N, $L, $L)", Names.VIEWS, ref.apply(v.buffer() + "Seq"),
                  Expressions.blocks(v.from()), Expressions.blocks(v.to()))));
        }
      } else {
        out.add(BufferField.matrix(ref.apply(v.name()), "columns of {@link #" + v.buffer() + "}",
            CodeBlock.of("$T.columns($N, $L, $L)", Names.VIEWS, ref.apply(v.buffer()),
                Expressions.blocks(v.from()), Expressions.blocks(v.to()))));
      }
    }
    scratch(out, ref, "dh", "∂L/∂h_t reaching the cell of the step being differentiated");
    scratch(out, ref, "dhCarry", inTime("∂L/∂h_t carried from step t + 1 to step t"));
    if (stack.masked()) {
      scratch(out, ref, "dhPassed", "the part of ∂L/∂h_t that padded rows pass on unchanged");
    }
    if (math.hasCellState()) {
      scratch(out, ref, "dcCarry", inTime("∂L/∂c_t carried from step t + 1 to step t"));
      if (stack.masked()) {
        scratch(out, ref, "dcPassed", "the part of ∂L/∂c_t that padded rows pass on unchanged");
      }
    }
    if (stack.finalStateGradient()) {
      scratch(out, ref, "dhFinal", "∂L/∂(final h), from where the final state is read");
      if (math.hasCellState()) {
        scratch(out, ref, "dcFinal", "∂L/∂(final c), from where the final state is read");
      }
    }
    return out;
  }

  private void stateBuffers(List<BufferField> out, UnaryOperator<String> ref, String rows, String steps, String s,
      String what) {
    out.add(BufferField.matrix(ref.apply(s + "Seq"), what + " before and after every step: [(T + 1)·B, H]; {@code "
            + s + "[k]}: after " + (layer.reverse() ? "the steps from k on" : "k steps"),
        CodeBlock.of("$T.create(dataType, $L + batch, HIDDEN)", Names.ND4J, rows)));
    out.add(BufferField.steps(ref.apply(s), null,
        CodeBlock.of("$T.rowBlocks($N, batch, $L + 1)", Names.VIEWS, ref.apply(s + "Seq"), steps)));
  }

  private void scratch(List<BufferField> out, UnaryOperator<String> ref, String name, String doc) {
    out.add(BufferField.matrix(ref.apply(name), doc, CodeBlock.of("$T.create(dataType, batch, HIDDEN)", Names.ND4J)));
  }

  /** Views of the output's gradient, once the consumer's gradient buffer exists. */
  List<BufferField> outputGradientViews(UnaryOperator<String> ref, String steps) {
    if (finalStateOnly()) {
      return List.of();
    }
    return List.of(BufferField.steps(ref.apply("dhOut"), "∂L/∂(output at step t): row blocks of {@link #dOutputSlot}",
        CodeBlock.of("$T.rowBlocks($N, batch, $L)", Names.VIEWS, ref.apply("dOutputSlot"), steps)));
  }

  /**
   * The recurrent weights the step products use, as the cell names them: {@code weightHh}, or row
   * blocks of it ({@code weightHhRz}); each becomes a {@code RecurrentWeight} field.
   */
  List<String> recurrentWeights() {
    Set<String> used = new LinkedHashSet<>();
    for (List<Phase> phases : List.of(math.forward(bias), math.backward(bias))) {
      used.addAll(recurrentWeights(phases));
    }
    return new ArrayList<>(used);
  }

  private static Set<String> recurrentWeights(List<Phase> phases) {
    Set<String> out = new LinkedHashSet<>();
    for (Phase p : phases) {
      if (p instanceof Phase.Matrix m) {
        Statements.identifiers(m.equations()).stream().filter(n -> n.startsWith("weightHh")).forEach(out::add);
      }
    }
    return out;
  }

  /** The holder field of a recurrent weight: {@code weightHh} → {@code recurrentWeightHh}. */
  static String recurrentWeightField(String name) {
    return "recurrent" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** The expression a recurrent weight wraps, in the holder: the parameter, or a row block of it. */
  CodeBlock recurrentWeightArray(String name) {
    if (name.equals("weightHh")) {
      return CodeBlock.of("weightHh");
    }
    View v = math.views().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    return CodeBlock.of("$T.rows($N, $L, $L)", Names.VIEWS, v.buffer(), Expressions.blocks(v.from()),
        Expressions.blocks(v.to()));
  }

  /** Refreshes the recurrent weights a pass uses, before its loop over time. */
  private void refresh(MethodSpec.Builder m, List<Phase> phases) {
    Set<String> used = recurrentWeights(phases);
    if (used.isEmpty()) {
      return;
    }
    m.addComment("the step products run as Java loops when they are small (batch 1), else natively");
    for (String w : used) {
      m.addStatement("$N.refresh(batch)", l(recurrentWeightField(w)));
    }
  }

  private static boolean isWeight(String buffer) {
    return buffer.startsWith("weight") || buffer.startsWith("gWeight");
  }

  // ---------------------------------------------------------------- methods

  /** The forward step, the backward step, and the loops over time that call them, shared by the group. */
  List<MethodSpec> methods() {
    List<MethodSpec> out = new ArrayList<>();
    out.add(forward());
    out.add(step());
    out.add(backward());
    out.add(backStep());
    return out;
  }

  private MethodSpec forward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder(names.method("Forward")).addModifiers(Modifier.PRIVATE)
        .addParameter(holder(), "l")
        .addJavadoc("$L: the input projection of every step in one product, then the recurrence$L.\n", title(),
            stack.fusedLstm() ? ";\non {@link #fused} passes, one fused op instead" : "");
    if (stack.fusedLstm()) {
      m.beginControlFlow("if (fused)")
          .addComment("float32 evaluation: the whole recurrence as one native call, libnd4j's fused lstmLayer op")
          .addComment("(oneDNN with the -onednn-avx2 jar), writing h of every step and the final c; see FusedLstm")
          .addStatement("$N.forward(batch, $L, $N, $N, $N, $L, $L, $N, $N)", l("fusedLstm"), stack.steps(),
              l("input"), l("weightIh"), l("weightHh"), bias ? l("biasIh") : "null",
              bias ? l("biasHh") : "null", l("hSeq"), l("cSeq"))
          .addStatement("return")
          .endControlFlow();
    }
    String proj = bias
        ? (math.biasHhInProjection() ? "a_t = x_t W_ihᵀ + b_ih + b_hh" : "a_t = x_t W_ihᵀ + b_ih")
        : "a_t = x_t W_ihᵀ";
    m.addComment("$L, for every step at once", proj);
    m.addStatement("$T.timesTransposed($N, $N, $N)", Names.OPS, l("aSeq"), l("input"), l("weightIh"));
    if (bias) {
      m.addStatement("$T.addRow($N, $N)", Names.OPS, l("aSeq"), l("biasIh"));
      if (math.biasHhInProjection()) {
        m.addStatement("$T.addRow($N, $N)", Names.OPS, l("aSeq"), l("biasHh"));
      }
    }
    refresh(m, math.forward(bias));
    m.addCode(loops.calls(names.method("Step"), !layer.reverse()));
    return m.build();
  }

  private MethodSpec step() {
    MethodSpec.Builder m = MethodSpec.methodBuilder(names.method("Step")).addModifiers(Modifier.PRIVATE)
        .addParameter(holder(), "l").addParameter(int.class, "t")
        .addJavadoc("$L, step {@code t}: h_t from $L and the projected input x_t.\n", title(),
            inTime("h_{t-1}"));
    Map<String, String> table = table(false);
    renderAll(m, math.forward(bias), table, "Step");
    if (stack.masked()) {
      m.beginControlFlow("if ($L)", stack.name("masked"));
      m.addComment("$L", inTime("a padded row keeps its state: h_t = h_{t-1}"
          + (math.hasCellState() ? ", c_t = c_{t-1}" : "") + " where mask_t = 0"));
      m.addCode(Statements.substitute("Ops.keepPadded(h, hPrev, mask[t]);", table));
      if (math.hasCellState()) {
        m.addCode(Statements.substitute("Ops.keepPadded(c, cPrev, mask[t]);", table));
      }
      m.endControlFlow();
    }
    return m.build();
  }

  /** How the shared methods' Javadoc names the layer: "Layer {@code l}", "Layer {@code l}, reverse direction". */
  private String title() {
    return names.title(stack.stack().bidirectional());
  }

  /** Whether the backward pass can stop early, for truncated BPTT: unidirectional, time not fully written out. */
  boolean truncatable() {
    return stack.truncatable();
  }

  private MethodSpec backward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder(names.method("Backward")).addModifiers(Modifier.PRIVATE)
        .addParameter(holder(), "l")
        .addJavadoc("$L, backwards through time; then the weight gradients as products over all steps.\n", title());
    if (truncatable()) {
      m.addJavadoc("\n@param stop the first step gradients flow back into (0: all of them)\n");
      m.addParameter(int.class, "stop");
      m.beginControlFlow("if (stop > 0)");
      m.addComment("truncated BPTT: the steps before {@code stop} get no gradient");
      m.addStatement("$T.rows($N, 0, stop * batch).assign(0)", Names.VIEWS, l("daSeq"));
      for (Buffer b : math.buffers()) {
        if (b.scope() == Buffer.Scope.STEP && b.name().startsWith("d")) {
          m.addStatement("$T.rows($N, 0, stop * batch).assign(0)", Names.VIEWS, l(b.name() + "Seq"));
        }
      }
      m.endControlFlow();
    }
    String tEnd = layer.reverse() ? "0" : "T";
    if (stack.finalStateGradient()) {
      m.addComment("∂L/∂h_$L$L is what flows back from where the final state was read", tEnd,
          math.hasCellState() ? " (and ∂L/∂c_" + tEnd + ")" : "");
      m.addStatement("$N.assign($N)", l("dhCarry"), l("dhFinal"));
      if (math.hasCellState()) {
        m.addStatement("$N.assign($N)", l("dcCarry"), l("dcFinal"));
      }
    } else {
      Runnable top = () -> m
          .addComment("∂L/∂h_$L comes from the output layer; nothing else flows back into the last step", tEnd)
          .addStatement("$N.assign($N)", l("dhCarry"), l("dOutputSlot"));
      Runnable below = () -> m.addComment("nothing flows back into the last step but its output's gradient")
          .addStatement("$N.assign(0)", l("dhCarry"));
      byFinalStateOnly(m, top, below);
      if (math.hasCellState()) {
        m.addStatement("$N.assign(0)", l("dcCarry"));
      }
    }
    refresh(m, math.backward(bias));
    m.addCode(truncatable()
        ? loops.descendingTo(names.method("BackStep"), "stop")
        : loops.calls(names.method("BackStep"), layer.reverse()));
    Map<String, String> sequences = sequenceTable();
    for (Equation e : math.weightGradients(bias)) {
      m.addComment("$L", inTime(e.equation()));
      e.statements().forEach(st -> m.addCode(Statements.substitute(st, sequences)));
    }
    return m.build();
  }

  private MethodSpec backStep() {
    MethodSpec.Builder m = MethodSpec.methodBuilder(names.method("BackStep")).addModifiers(Modifier.PRIVATE)
        .addParameter(holder(), "l").addParameter(int.class, "t")
        .addJavadoc("$L, step {@code t} backwards: ∂L/∂a_t and ∂L/∂$L from ∂L/∂h_t.\n", title(),
            inTime("h_{t-1}"));
    Map<String, String> table = table(true);
    byFinalStateOnly(m,
        () -> m.addComment("∂L/∂h_t: only what flows back from the step after it")
            .addCode(Statements.substitute("Ops.copy(dh, dhCarry);", table)),
        () -> m.addComment("∂L/∂h_t = ∂L/∂output_t + what flows back from the step after it")
            .addCode(Statements.substitute("Ops.add(dh, dhCarry, dhOut);", table)));
    if (stack.masked()) {
      m.beginControlFlow("if ($L)", stack.name("masked"));
      m.addComment("a padded row passes ∂L/∂h_t$L to the step before it unchanged; its cell gets none",
          math.hasCellState() ? " and ∂L/∂c_t" : "");
      m.addCode(Statements.substitute("Ops.splitPadded(dh, dhPassed, mask[t]);", table));
      if (math.hasCellState()) {
        m.addCode(Statements.substitute("Ops.splitPadded(dc, dcPassed, mask[t]);", table));
      }
      m.endControlFlow();
    }
    renderAll(m, math.backward(bias), table, "BackStep");
    if (stack.masked()) {
      m.beginControlFlow("if ($L)", stack.name("masked"));
      m.addCode(Statements.substitute("Ops.add(dhPrev, dhPrev, dhPassed);", table));
      if (math.hasCellState()) {
        m.addCode(Statements.substitute("Ops.add(dc, dc, dcPassed);", table));
      }
      m.endControlFlow();
    }
    return m.build();
  }

  /**
   * {@code top} for layers that read only their final state, {@code below} for the others: as a
   * branch on the holder's {@code finalStateOnly} where the group has both kinds.
   */
  private void byFinalStateOnly(MethodSpec.Builder m, Runnable top, Runnable below) {
    if (finalStateOnlyVaries()) {
      m.beginControlFlow("if (l.finalStateOnly)");
      top.run();
      m.nextControlFlow("else");
      below.run();
      m.endControlFlow();
    } else if (finalStateOnly()) {
      top.run();
    } else {
      below.run();
    }
  }

  /** Row buffers the element loops of this layer use, one per array name, in first-use order. */
  List<String> rowBufferNames() {
    Set<String> out = new LinkedHashSet<>();
    for (List<Phase> phases : List.of(math.forward(bias), math.backward(bias))) {
      for (Phase p : phases) {
        if (p instanceof Phase.Elements e) {
          out.addAll(CellLoops.operands(e));
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** The holder's row buffer for array {@code name}: {@code aRows}, bound once per step. */
  String rowBufferField(String name) {
    return CellLoops.rowBufferField(name);
  }

  /**
   * The element-wise methods this layer's steps call, one per loop and precision. Layers of one
   * stack and direction call the same ones; {@link LayerMembers#recurrenceMethods} keeps one of each.
   */
  List<MethodSpec> cellMethods() {
    List<MethodSpec> out = new ArrayList<>();
    cells.methods(out, math.forward(bias), "Step");
    cells.methods(out, math.backward(bias), "BackStep");
    return out;
  }

  /** The phases of a step in order: matrix statements inline, element loops as calls in the model's precision. */
  private void renderAll(MethodSpec.Builder m, List<Phase> phases, Map<String, String> table, String pass) {
    int count = (int) phases.stream().filter(p -> p instanceof Phase.Elements).count();
    int index = 0;
    Set<String> bound = new LinkedHashSet<>();
    for (Phase phase : phases) {
      if (phase instanceof Phase.Matrix matrix) {
        for (Equation e : matrix.equations()) {
          m.addComment("$L", inTime(e.equation()));
          e.statements().forEach(s -> m.addCode(Statements.substitute(s, table)));
        }
        continue;
      }
      Phase.Elements loop = (Phase.Elements) phase;
      for (String a : CellLoops.operands(loop)) {
        if (bound.add(a)) {
          m.addStatement("$T $N = $N.bind($L)", Names.ROW_BUFFER, CellLoops.rowBufferField(a), l(rowBufferField(a)),
              table.get(a));
        }
      }
      m.addCode(cells.call(loop, pass, index, count));
      index++;
    }
  }

  // ---------------------------------------------------------------- binding

  /** What every name of the cell's statements means at step {@code t} of this layer and direction. */
  private Map<String, String> table(boolean backwardStep) {
    Map<String, String> table = new LinkedHashMap<>();
    table.put("hPrev", l("h") + "[" + names.prevBlock("t") + "]");
    table.put("h", l("h") + "[" + names.newBlock("t") + "]");
    table.put("cPrev", l("c") + "[" + names.prevBlock("t") + "]");
    table.put("c", l("c") + "[" + names.newBlock("t") + "]");
    table.put("a", l("a") + "[t]");
    table.put("mask", stack.name("mask"));
    for (Buffer b : math.buffers()) {
      table.put(b.name(), b.scope() == Buffer.Scope.STEP ? l(b.name()) + "[t]" : l(b.name()));
    }
    for (View v : math.views()) {
      if (!v.buffer().startsWith("gWeight")) {
        boolean scratch = math.buffers().stream()
            .anyMatch(b -> b.name().equals(v.buffer()) && b.scope() == Buffer.Scope.SCRATCH);
        table.put(v.name(), isWeight(v.buffer()) || scratch ? l(v.name()) : l(v.name()) + "[t]");
      }
    }
    if (backwardStep) {
      table.put("dhOut", l("dhOut") + "[t]");
      table.put("dhCarry", l("dhCarry"));
      table.put("dh", l("dh"));
      table.put("dhPassed", l("dhPassed"));
      table.put("dhPrev", l("dhCarry"));
      table.put("dc", l("dcCarry"));
      table.put("dcPassed", l("dcPassed"));
      table.put("dcPrev", l("dcCarry"));
      table.put("da", l("da") + "[t]");
    }
    for (String w : recurrentWeights()) {
      table.put(w, l(recurrentWeightField(w)));
    }
    table.put("biasHh", l("biasHh"));
    return table;
  }

  /** What the names of the weight-gradient equations mean: whole-sequence buffers and this call's gradients. */
  private Map<String, String> sequenceTable() {
    Map<String, String> table = new LinkedHashMap<>();
    table.put("daSeq", l("daSeq"));
    table.put("input", l("input"));
    table.put("hPrevSeq", l("hPrevSeq"));
    for (Buffer b : math.buffers()) {
      if (b.scope() == Buffer.Scope.STEP) {
        table.put(b.name() + "Seq", l(b.name() + "Seq"));
      }
    }
    for (View v : math.views()) {
      if (!isWeight(v.buffer())) {
        table.put(v.name() + "Seq", l(v.name() + "Seq"));
      }
    }
    table.put("gWeightIh", l(grad("weightIh")));
    table.put("gWeightHh", l(grad("weightHh")));
    table.put("gBiasIh", l(grad("biasIh")));
    table.put("gBiasHh", l(grad("biasHh")));
    for (View v : math.views()) {
      if (v.buffer().startsWith("gWeight")) {
        String of = v.buffer().substring(1, 2).toLowerCase() + v.buffer().substring(2);
        table.put(v.name(), "Views.rows(" + l(grad(of)) + ", " + Expressions.blocks(v.from()) + ", "
            + Expressions.blocks(v.to()) + ")");
      }
    }
    return table;
  }

  /**
   * A comment in this direction's time: the reverse direction's previous step is t + 1, so its
   * comments say {@code h_{t+1}} where the cell's equations say {@code h_{t-1}}.
   */
  private String inTime(String text) {
    if (!layer.reverse()) {
      return text;
    }
    return text.replace("h_{t-1}", "h_{t+1}").replace("c_{t-1}", "c_{t+1}")
        .replace("from step t + 1 to step t", "from step t - 1 to step t");
  }

  /** The gradient field of a parameter field: {@code weightIh} → {@code gradWeightIh}. */
  static String grad(String field) {
    return "grad" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
  }
}
