package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.MethodSpec;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Modifier;

/**
 * The recurrence of one layer and direction: its work buffers, its forward step, its backward step,
 * and the loops over time around them. The cell's statements come from {@link CellMath} verbatim;
 * this class only binds the names they use to this layer's arrays.
 */
final class RecurrenceGenerator {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

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
    this.cells = new CellLoops(layer, stack.stack().cell(), this::inTime);
  }

  LayerNames names() {
    return names;
  }

  /** Whether this is the reverse direction of a bidirectional layer. */
  boolean reverse() {
    return layer.reverse();
  }

  /** Whether only this layer's final state is read, not its outputs (many-to-one top, encoder top). */
  private boolean finalStateOnly() {
    return layer.index() == stack.stack().layers() - 1 && stack.topFinalStateOnly();
  }

  /** The array this layer reads: the time-major input, or the previous layer's outputs. */
  String inputField() {
    return stack.input(layer.index());
  }

  // ---------------------------------------------------------------- buffers

  /** Work-buffer fields of this layer and direction, in allocation order. */
  List<BufferField> buffers() {
    List<BufferField> out = new ArrayList<>();
    String rows = stack.rows();
    String steps = stack.steps();
    out.add(BufferField.matrix(names.field("aSeq"), "gate pre-activations, then activations, of every step",
        CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, Expressions.GATE_WIDTH)));
    out.add(BufferField.steps(names.field("a"), "row block of {@link #" + names.field("aSeq") + "} per step",
        CodeBlock.of("$T.rowBlocks($N, batch, $L)", Names.VIEWS, names.field("aSeq"), steps)));
    out.add(BufferField.matrix(names.field("daSeq"), "∂L/∂a of every step",
        CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, Expressions.GATE_WIDTH)));
    out.add(BufferField.steps(names.field("da"), "row block of {@link #" + names.field("daSeq") + "} per step",
        CodeBlock.of("$T.rowBlocks($N, batch, $L)", Names.VIEWS, names.field("daSeq"), steps)));
    stateBuffers(out, "h", "hidden state");
    if (math.hasCellState()) {
      stateBuffers(out, "c", "cell state");
    }
    out.add(BufferField.matrix(names.field("hPrevSeq"), inTime("h_{t-1}") + " of every step, in step order (a view)",
        layer.reverse()
            ? CodeBlock.of("$T.rows($N, batch, $L + batch)", Names.VIEWS, names.field("hSeq"), rows)
            : CodeBlock.of("$T.rows($N, 0, $L)", Names.VIEWS, names.field("hSeq"), rows)));
    if (!finalStateOnly()) {
      out.add(BufferField.matrix(names.field("outputSeq"), "h_t of every step, in step order: this layer's output (a view)",
          layer.reverse()
              ? CodeBlock.of("$T.rows($N, 0, $L)", Names.VIEWS, names.field("hSeq"), rows)
              : CodeBlock.of("$T.rows($N, batch, $L + batch)", Names.VIEWS, names.field("hSeq"), rows)));
    }
    for (Buffer b : math.buffers()) {
      if (b.scope() == Buffer.Scope.STEP) {
        out.add(BufferField.matrix(names.field(b.name() + "Seq"), b.doc(),
            CodeBlock.of("$T.create(dataType, $L, $L)", Names.ND4J, rows, Expressions.blocks(b.blocks()))));
        out.add(BufferField.steps(names.field(b.name()), "row block of {@link #" + names.field(b.name() + "Seq") + "} per step",
            CodeBlock.of("$T.rowBlocks($N, batch, $L)", Names.VIEWS, names.field(b.name() + "Seq"), steps)));
      } else {
        out.add(BufferField.matrix(names.field(b.name()), b.doc(),
            CodeBlock.of("$T.create(dataType, batch, $L)", Names.ND4J, Expressions.blocks(b.blocks()))));
      }
    }
    Set<String> seqNames = identifiers(math.weightGradients(bias));
    for (View v : math.views()) {
      if (isWeight(v.buffer())) {
        continue;
      }
      Optional<Buffer> owner = math.buffers().stream().filter(b -> b.name().equals(v.buffer())).findFirst();
      boolean perStep = owner.map(b -> b.scope() == Buffer.Scope.STEP).orElse(true);
      if (perStep) {
        out.add(BufferField.steps(names.field(v.name()), "columns " + v.from() + " to " + v.to() + " (× H) of {@link #"
                + names.field(v.buffer()) + "} per step",
            CodeBlock.of("$T.columns($N, $L, $L)", Names.VIEWS, names.field(v.buffer()),
                Expressions.blocks(v.from()), Expressions.blocks(v.to()))));
        if (seqNames.contains(v.name() + "Seq")) {
          out.add(BufferField.matrix(names.field(v.name() + "Seq"), "columns of {@link #" + names.field(v.buffer() + "Seq")
                  + "} for every step (a view)",
              CodeBlock.of("$T.columns($N, $L, $L)", Names.VIEWS, names.field(v.buffer() + "Seq"),
                  Expressions.blocks(v.from()), Expressions.blocks(v.to()))));
        }
      } else {
        out.add(BufferField.matrix(names.field(v.name()), "columns of {@link #" + names.field(v.buffer()) + "}",
            CodeBlock.of("$T.columns($N, $L, $L)", Names.VIEWS, names.field(v.buffer()),
                Expressions.blocks(v.from()), Expressions.blocks(v.to()))));
      }
    }
    scratch(out, "dh", "∂L/∂h_t reaching the cell of the step being differentiated");
    scratch(out, "dhCarry", inTime("∂L/∂h_t carried from step t + 1 to step t"));
    if (stack.masked()) {
      scratch(out, "dhPassed", "the part of ∂L/∂h_t that padded rows pass on unchanged");
    }
    if (math.hasCellState()) {
      scratch(out, "dcCarry", inTime("∂L/∂c_t carried from step t + 1 to step t"));
      if (stack.masked()) {
        scratch(out, "dcPassed", "the part of ∂L/∂c_t that padded rows pass on unchanged");
      }
    }
    if (stack.finalStateGradient()) {
      scratch(out, "dhFinal", "∂L/∂(final h), from where the final state is read");
      if (math.hasCellState()) {
        scratch(out, "dcFinal", "∂L/∂(final c), from where the final state is read");
      }
    }
    return layer.index() == 0 ? out : asLayerZero(out);
  }

  /**
   * Buffers of a layer above the first, documented once as a group: they mean what layer 0's
   * (in the same direction) mean, which are documented one by one.
   */
  private List<BufferField> asLayerZero(List<BufferField> buffers) {
    List<BufferField> out = new ArrayList<>();
    for (BufferField b : buffers) {
      String doc = out.isEmpty() ? names.title() + ": buffers as layer 0's above" : null;
      out.add(new BufferField(b.name(), b.perStep(), doc, b.allocate()));
    }
    return out;
  }

  private void stateBuffers(List<BufferField> out, String s, String what) {
    out.add(BufferField.matrix(names.field(s + "Seq"), what + " before and after every step: [(T + 1)·B, H]",
        CodeBlock.of("$T.create(dataType, $L + batch, HIDDEN)", Names.ND4J, stack.rows())));
    out.add(BufferField.steps(names.field(s), "row block k of {@link #" + names.field(s + "Seq") + "}: "
            + s + " after " + (layer.reverse() ? "the steps from k on" : "k steps"),
        CodeBlock.of("$T.rowBlocks($N, batch, $L + 1)", Names.VIEWS, names.field(s + "Seq"), stack.steps())));
  }

  private void scratch(List<BufferField> out, String name, String doc) {
    out.add(BufferField.matrix(names.field(name), doc, CodeBlock.of("$T.create(dataType, batch, HIDDEN)", Names.ND4J)));
  }

  /** Views of the output's gradient, once the consumer's gradient buffer exists. */
  List<BufferField> outputGradientViews() {
    if (finalStateOnly()) {
      return List.of();
    }
    return List.of(BufferField.steps(names.field("dhOut"), layer.index() > 0 ? null
            : "∂L/∂(output at step t), row blocks of {@link #" + names.field("dOutputSlot") + "}",
        CodeBlock.of("$T.rowBlocks($N, batch, $L)", Names.VIEWS, names.field("dOutputSlot"), stack.steps())));
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
        identifiers(m.equations()).stream().filter(n -> n.startsWith("weightHh")).forEach(out::add);
      }
    }
    return out;
  }

  /** The field of a recurrent weight: {@code weightHh} → {@code recurrentWeightHh0}. */
  String recurrentWeightField(String name) {
    return names.field("recurrent" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
  }

  /** The expression a recurrent weight wraps: the parameter, or a row block of it. */
  CodeBlock recurrentWeightArray(String name) {
    if (name.equals("weightHh")) {
      return CodeBlock.of("$N", names.field("weightHh"));
    }
    View v = math.views().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    return CodeBlock.of("$T.rows($N, $L, $L)", Names.VIEWS, names.field(v.buffer()), Expressions.blocks(v.from()),
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
      m.addStatement("$N.refresh(batch)", recurrentWeightField(w));
    }
  }

  private static boolean isWeight(String buffer) {
    return buffer.startsWith("weight") || buffer.startsWith("gWeight");
  }

  // ---------------------------------------------------------------- methods

  /** The forward step, the backward step, and the loops over time that call them. */
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
        .addJavadoc("$L: the input projection of every step in one product, then the recurrence$L.\n", names.title(),
            stack.fusedLstm() ? ";\non {@link #fused} passes, one fused op instead" : "");
    if (stack.fusedLstm()) {
      m.beginControlFlow("if (fused)")
          .addComment("float32 evaluation: the whole recurrence as one native call, libnd4j's fused lstmLayer op")
          .addComment("(oneDNN with the -onednn-avx2 jar), writing h of every step and the final c; see FusedLstm")
          .addStatement("$N.forward(batch, $L, $N, $N, $N, $L, $L, $N, $N)", names.field("fusedLstm"), stack.steps(),
              inputField(), names.field("weightIh"), names.field("weightHh"), bias ? names.field("biasIh") : "null",
              bias ? names.field("biasHh") : "null", names.field("hSeq"), names.field("cSeq"))
          .addStatement("return")
          .endControlFlow();
    }
    String proj = bias
        ? (math.biasHhInProjection() ? "a_t = x_t W_ihᵀ + b_ih + b_hh" : "a_t = x_t W_ihᵀ + b_ih")
        : "a_t = x_t W_ihᵀ";
    m.addComment("$L, for every step at once", proj);
    m.addStatement("$T.timesTransposed($N, $N, $N)", Names.OPS, names.field("aSeq"), inputField(), names.field("weightIh"));
    if (bias) {
      m.addStatement("$T.addRow($N, $N)", Names.OPS, names.field("aSeq"), names.field("biasIh"));
      if (math.biasHhInProjection()) {
        m.addStatement("$T.addRow($N, $N)", Names.OPS, names.field("aSeq"), names.field("biasHh"));
      }
    }
    refresh(m, math.forward(bias));
    m.addCode(loops.calls(names.method("Step"), !layer.reverse()));
    return m.build();
  }

  private MethodSpec step() {
    MethodSpec.Builder m = MethodSpec.methodBuilder(names.method("Step")).addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "t")
        .addJavadoc("$L, step {@code t}: h_t from $L and the projected input x_t.\n", names.title(),
            inTime("h_{t-1}"));
    Map<String, String> table = table(false);
    renderAll(m, math.forward(bias), table, "Step");
    if (stack.masked()) {
      m.beginControlFlow("if ($L)", stack.name("masked"));
      m.addComment("$L", inTime("a padded row keeps its state: h_t = h_{t-1}"
          + (math.hasCellState() ? ", c_t = c_{t-1}" : "") + " where mask_t = 0"));
      m.addCode(substitute("Ops.keepPadded(h, hPrev, mask[t]);", table));
      if (math.hasCellState()) {
        m.addCode(substitute("Ops.keepPadded(c, cPrev, mask[t]);", table));
      }
      m.endControlFlow();
    }
    return m.build();
  }

  /** Whether the backward pass can stop early, for truncated BPTT: unidirectional, time not fully written out. */
  boolean truncatable() {
    return stack.truncatable();
  }

  private MethodSpec backward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder(names.method("Backward")).addModifiers(Modifier.PRIVATE)
        .addJavadoc("$L, backwards through time; then the weight gradients as products over all steps.\n", names.title());
    if (truncatable()) {
      m.addJavadoc("\n@param stop the first step gradients flow back into (0: all of them)\n");
      m.addParameter(int.class, "stop");
      m.beginControlFlow("if (stop > 0)");
      m.addComment("truncated BPTT: the steps before {@code stop} get no gradient");
      m.addStatement("$T.rows($N, 0, stop * batch).assign(0)", Names.VIEWS, names.field("daSeq"));
      for (Buffer b : math.buffers()) {
        if (b.scope() == Buffer.Scope.STEP && b.name().startsWith("d")) {
          m.addStatement("$T.rows($N, 0, stop * batch).assign(0)", Names.VIEWS, names.field(b.name() + "Seq"));
        }
      }
      m.endControlFlow();
    }
    String tEnd = layer.reverse() ? "0" : "T";
    if (stack.finalStateGradient()) {
      m.addComment("∂L/∂h_$L$L is what flows back from where the final state was read", tEnd,
          math.hasCellState() ? " (and ∂L/∂c_" + tEnd + ")" : "");
      m.addStatement("$N.assign($N)", names.field("dhCarry"), names.field("dhFinal"));
      if (math.hasCellState()) {
        m.addStatement("$N.assign($N)", names.field("dcCarry"), names.field("dcFinal"));
      }
    } else {
      if (finalStateOnly()) {
        m.addComment("∂L/∂h_$L comes from the output layer; nothing else flows back into the last step", tEnd);
        m.addStatement("$N.assign($N)", names.field("dhCarry"), names.field("dOutputSlot"));
      } else {
        m.addComment("nothing flows back into the last step but its output's gradient");
        m.addStatement("$N.assign(0)", names.field("dhCarry"));
      }
      if (math.hasCellState()) {
        m.addStatement("$N.assign(0)", names.field("dcCarry"));
      }
    }
    refresh(m, math.backward(bias));
    m.addCode(truncatable()
        ? loops.descendingTo(names.method("BackStep"), "stop")
        : loops.calls(names.method("BackStep"), layer.reverse()));
    Map<String, String> sequences = sequenceTable();
    for (Equation e : math.weightGradients(bias)) {
      m.addComment("$L", inTime(e.equation()));
      e.statements().forEach(st -> m.addCode(substitute(st, sequences)));
    }
    return m.build();
  }

  private MethodSpec backStep() {
    MethodSpec.Builder m = MethodSpec.methodBuilder(names.method("BackStep")).addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "t")
        .addJavadoc("$L, step {@code t} backwards: ∂L/∂a_t and ∂L/∂$L from ∂L/∂h_t.\n", names.title(),
            inTime("h_{t-1}"));
    Map<String, String> table = table(true);
    if (finalStateOnly()) {
      m.addComment("∂L/∂h_t: only what flows back from the step after it");
      m.addCode(substitute("Ops.copy(dh, dhCarry);", table));
    } else {
      m.addComment("∂L/∂h_t = ∂L/∂output_t + what flows back from the step after it");
      m.addCode(substitute("Ops.add(dh, dhCarry, dhOut);", table));
    }
    if (stack.masked()) {
      m.beginControlFlow("if ($L)", stack.name("masked"));
      m.addComment("a padded row passes ∂L/∂h_t$L to the step before it unchanged; its cell gets none",
          math.hasCellState() ? " and ∂L/∂c_t" : "");
      m.addCode(substitute("Ops.splitPadded(dh, dhPassed, mask[t]);", table));
      if (math.hasCellState()) {
        m.addCode(substitute("Ops.splitPadded(dc, dcPassed, mask[t]);", table));
      }
      m.endControlFlow();
    }
    renderAll(m, math.backward(bias), table, "BackStep");
    if (stack.masked()) {
      m.beginControlFlow("if ($L)", stack.name("masked"));
      m.addCode(substitute("Ops.add(dhPrev, dhPrev, dhPassed);", table));
      if (math.hasCellState()) {
        m.addCode(substitute("Ops.add(dc, dc, dcPassed);", table));
      }
      m.endControlFlow();
    }
    return m.build();
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

  /** This layer's row buffer for array {@code name}: {@code aRows0}, bound once per step. */
  String rowBufferField(String name) {
    return names.field(CellLoops.rowBufferField(name));
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
          e.statements().forEach(s -> m.addCode(substitute(s, table)));
        }
        continue;
      }
      Phase.Elements loop = (Phase.Elements) phase;
      for (String a : CellLoops.operands(loop)) {
        if (bound.add(a)) {
          m.addStatement("$T $N = $N.bind($L)", Names.ROW_BUFFER, CellLoops.rowBufferField(a), rowBufferField(a),
              table.get(a));
        }
      }
      m.addCode(cells.call(loop, pass, index, count));
      index++;
    }
  }

  /** A statement with every bound name replaced by this step's array, and {@code Ops} imported. */
  static CodeBlock substitute(String statement, Map<String, String> table) {
    Matcher m = Pattern.compile("(?<![.\\w])[A-Za-z_][A-Za-z0-9_]*(?![\\w(])").matcher(statement);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = table.getOrDefault(m.group(), m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return ops(out.toString());
  }

  private static final Pattern RUNTIME_TYPE = Pattern.compile("\\b(Ops|Views)\\.");

  /** A statement with {@code Ops.} and {@code Views.} turned into imported type references. */
  static CodeBlock ops(String statement) {
    String body = statement.endsWith(";") ? statement.substring(0, statement.length() - 1) : statement;
    List<Object> args = new ArrayList<>();
    Matcher m = RUNTIME_TYPE.matcher(body);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      args.add(m.group(1).equals("Ops") ? Names.OPS : Names.VIEWS);
      m.appendReplacement(out, Matcher.quoteReplacement("$T."));
    }
    m.appendTail(out);
    return CodeBlock.builder().addStatement(out.toString(), args.toArray()).build();
  }

  // ---------------------------------------------------------------- binding

  /** What every name of the cell's statements means at step {@code t} of this layer and direction. */
  private Map<String, String> table(boolean backwardStep) {
    Map<String, String> table = new LinkedHashMap<>();
    table.put("hPrev", names.field("h") + "[" + names.prevBlock("t") + "]");
    table.put("h", names.field("h") + "[" + names.newBlock("t") + "]");
    table.put("cPrev", names.field("c") + "[" + names.prevBlock("t") + "]");
    table.put("c", names.field("c") + "[" + names.newBlock("t") + "]");
    table.put("a", names.field("a") + "[t]");
    table.put("mask", stack.name("mask"));
    for (Buffer b : math.buffers()) {
      table.put(b.name(), b.scope() == Buffer.Scope.STEP ? names.field(b.name()) + "[t]" : names.field(b.name()));
    }
    for (View v : math.views()) {
      if (!v.buffer().startsWith("gWeight")) {
        boolean scratch = math.buffers().stream()
            .anyMatch(b -> b.name().equals(v.buffer()) && b.scope() == Buffer.Scope.SCRATCH);
        table.put(v.name(), isWeight(v.buffer()) || scratch ? names.field(v.name()) : names.field(v.name()) + "[t]");
      }
    }
    if (backwardStep) {
      table.put("dhOut", names.field("dhOut") + "[t]");
      table.put("dhCarry", names.field("dhCarry"));
      table.put("dh", names.field("dh"));
      table.put("dhPassed", names.field("dhPassed"));
      table.put("dhPrev", names.field("dhCarry"));
      table.put("dc", names.field("dcCarry"));
      table.put("dcPassed", names.field("dcPassed"));
      table.put("dcPrev", names.field("dcCarry"));
      table.put("da", names.field("da") + "[t]");
    }
    for (String w : recurrentWeights()) {
      table.put(w, recurrentWeightField(w));
    }
    table.put("biasHh", names.field("biasHh"));
    return table;
  }

  /** What the names of the weight-gradient equations mean: whole-sequence buffers and this call's gradients. */
  private Map<String, String> sequenceTable() {
    Map<String, String> table = new LinkedHashMap<>();
    table.put("daSeq", names.field("daSeq"));
    table.put("input", inputField());
    table.put("hPrevSeq", names.field("hPrevSeq"));
    for (Buffer b : math.buffers()) {
      if (b.scope() == Buffer.Scope.STEP) {
        table.put(b.name() + "Seq", names.field(b.name() + "Seq"));
      }
    }
    for (View v : math.views()) {
      if (!isWeight(v.buffer())) {
        table.put(v.name() + "Seq", names.field(v.name() + "Seq"));
      }
    }
    table.put("gWeightIh", grad(names.field("weightIh")));
    table.put("gWeightHh", grad(names.field("weightHh")));
    table.put("gBiasIh", grad(names.field("biasIh")));
    table.put("gBiasHh", grad(names.field("biasHh")));
    for (View v : math.views()) {
      if (v.buffer().startsWith("gWeight")) {
        String of = v.buffer().substring(1, 2).toLowerCase() + v.buffer().substring(2);
        table.put(v.name(), "Views.rows(" + grad(names.field(of)) + ", " + Expressions.blocks(v.from()) + ", "
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

  /** The gradient field of a parameter field: {@code weightIh0} → {@code gradWeightIh0}. */
  static String grad(String field) {
    return "grad" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
  }

  /** An equation as its comment followed by its statements, with {@code Ops} imported. */
  static CodeBlock render(Equation e) {
    CodeBlock.Builder code = CodeBlock.builder();
    code.add("// $L\n", e.equation());
    e.statements().forEach(s -> code.add(ops(s)));
    return code.build();
  }

  /** Every identifier the statements of some equations mention. */
  static Set<String> identifiers(List<Equation> eqs) {
    Set<String> out = new LinkedHashSet<>();
    for (Equation e : eqs) {
      for (String s : e.statements()) {
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
          out.add(m.group());
        }
      }
    }
    return out;
  }
}
