package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import dev.unroll.processor.math.Buffer;
import dev.unroll.processor.math.CellMath;
import dev.unroll.processor.model.CellKind;
import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.LayerSpec;
import dev.unroll.processor.model.ReaderSpec;
import dev.unroll.processor.model.ParameterSpec;
import dev.unroll.processor.model.SequenceSpec;
import dev.unroll.processor.model.StackSpec;
import dev.unroll.processor.model.TopologyKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cost figures of one generated class, computed once: the {@code COST} constant (a
 * {@code dev.unroll.runtime.Cost}) and the class Javadoc's parameter and memory rows both come from
 * here. The counting rules are those of the runtime record's Javadoc.
 *
 * @param modules       per module, in PyTorch's {@code state_dict} order
 * @param forwardBytes  float32 work-buffer bytes of an evaluation pass per batch row and step
 * @param trainingBytes the same for a training pass
 * @param fixedBytes    float32 bytes of weight copies the runtime keeps per instance
 */
record CostFigures(List<ModuleCost> modules, long forwardBytes, long trainingBytes, long fixedBytes) {

  /**
   * One module's figures (see {@code Cost.Module}).
   *
   * @param name         {@code embedding}, {@code rnn.l0_reverse}, {@code fc}
   * @param type         {@code Embedding}, {@code LSTM}, {@code GRU}, {@code RNN} or {@code Linear}
   * @param outputShape  {@code [B, T, 128]}
   * @param parameters   trainable scalars
   * @param forwardMacs  forward multiply-adds per row (and step when {@code perStep})
   * @param backwardMacs backward multiply-adds, likewise
   * @param perStep      whether it runs at every step rather than once per row
   */
  record ModuleCost(String name, String type, String outputShape, long parameters, long forwardMacs,
      long backwardMacs, boolean perStep) {}

  /** The figures of a classifier or tagger. */
  static CostFigures of(ReaderSpec spec) {
    CellMath math = CellMath.of(spec.cell());
    boolean manyToOne = spec.topology() == TopologyKind.MANY_TO_ONE;
    List<ParameterSpec> params = spec.parameters();
    List<ModuleCost> modules = new ArrayList<>();
    if (spec.input() instanceof InputSpec.Embedding e) {
      modules.add(embedding("embedding", e, params));
    }
    modules.addAll(stack(spec.stack(), params));
    modules.add(linear("fc", spec.topWidth(), spec.output(), !manyToOne, true, params));
    Bytes bytes = stackBytes(spec.stack(), math, true);
    if (!manyToOne) {
      bytes = bytes.plus(outputLayerBytes(spec.topWidth(), spec.output()));
    }
    long fixed = weightCopies(spec.stack());
    if (spec.cell() == CellKind.LSTM) {
      for (LayerSpec l : spec.layerSpecs()) {
        fixed += (long) l.gateWidth() * (l.inputSize() + l.hidden() + 1);
      }
    }
    return bytes.figures(modules, fixed);
  }

  /** The figures of a one-to-many or encoder-decoder model. */
  static CostFigures of(SequenceSpec spec) {
    CellMath math = CellMath.of(spec.cell());
    List<ParameterSpec> params = spec.parameters();
    List<ModuleCost> modules = new ArrayList<>();
    StackSpec decoder = spec.decoder();
    int hidden = decoder.hidden();
    Bytes bytes = new Bytes(0, 0);
    long fixed = weightCopies(decoder);
    if (spec.seq2seq()) {
      StackSpec encoder = spec.encoder().orElseThrow();
      modules.add(embedding("src_embedding", spec.sourceEmbedding(), params));
      modules.addAll(stack(encoder, params));
      if (spec.bridged()) {
        modules.add(linear("bridge", 2 * hidden, hidden, false, true, params));
        if (spec.cell().hasCellState()) {
          modules.add(linear("bridge_c", 2 * hidden, hidden, false, true, params));
        }
      }
      modules.add(embedding("tgt_embedding", spec.targetEmbedding(), params));
      bytes = stackBytes(encoder, math, true);
      fixed += weightCopies(encoder);
    } else {
      modules.add(linear("init", spec.condition(), decoder.layers() * hidden, false, false, params));
      modules.add(embedding("embedding", spec.targetEmbedding(), params));
    }
    modules.addAll(stack(decoder, params));
    modules.add(linear("fc", hidden, spec.output(), true, true, params));
    bytes = bytes.plus(stackBytes(decoder, math, false))
        .plus(outputLayerBytes(hidden, spec.output()));
    return bytes.figures(modules, fixed);
  }

  /** Trainable scalars of the whole model. */
  long parameters() {
    return modules.stream().mapToLong(ModuleCost::parameters).sum();
  }

  /** Trainable scalars of one PyTorch module, all layers and directions of a recurrent one. */
  long parameters(String module) {
    return modules.stream().filter(m -> m.name().equals(module) || m.name().startsWith(module + "."))
        .mapToLong(ModuleCost::parameters).sum();
  }

  /** Multiply-adds per row and step of the modules that run at every step, forward or backward. */
  long macsPerRowStep(boolean forward) {
    return modules.stream().filter(ModuleCost::perStep)
        .mapToLong(m -> forward ? m.forwardMacs() : m.backwardMacs()).sum();
  }

  /** Multiply-adds per row of the modules that run once per row, forward or backward. */
  long macsPerRow(boolean forward) {
    return modules.stream().filter(m -> !m.perStep())
        .mapToLong(m -> forward ? m.forwardMacs() : m.backwardMacs()).sum();
  }

  /** The distinct PyTorch modules, in order: {@code rnn} once for all its layers. */
  List<String> moduleNames() {
    return modules.stream().map(m -> m.name().contains(".") ? m.name().substring(0, m.name().indexOf('.'))
        : m.name()).distinct().toList();
  }

  /** The {@code COST} initializer: the modules one per line, then the byte counts with their meaning. */
  CodeBlock initializer() {
    CodeBlock.Builder b = CodeBlock.builder().add("new $T(\n", Names.COST).indent().indent()
        .add("$T.of(\n", List.class).indent().indent();
    for (int i = 0; i < modules.size(); i++) {
      ModuleCost m = modules.get(i);
      b.add("$T.Module.$L($S, $S, $S, $L, $L, $L)$L\n", Names.COST, m.perStep() ? "perStep" : "perRow", m.name(),
          m.type(), m.outputShape(), number(m.parameters()), number(m.forwardMacs()), number(m.backwardMacs()),
          i < modules.size() - 1 ? "," : "),");
    }
    return b.unindent().unindent()
        .add("// work-buffer bytes per row and step, evaluation and training; weight-copy bytes per replica\n")
        .add("$L, $L, $L)", number(forwardBytes), number(trainingBytes), number(fixedBytes))
        .unindent().unindent().build();
  }

  /** {@code 203_651}: a long literal with its thousands marked. */
  private static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n).replace(',', '_') + (n > Integer.MAX_VALUE ? "L" : "");
  }

  private static ModuleCost embedding(String name, InputSpec.Embedding e, List<ParameterSpec> params) {
    return new ModuleCost(name, "Embedding", "[B, T, " + e.dim() + "]", sum(params, name + "."), 0, 0, true);
  }

  /**
   * An {@code nn.Linear(in, out)}: in·out multiply-adds forward; backward ∂L/∂W and, when
   * {@code inputGradient}, ∂L/∂input, each as many.
   */
  private static ModuleCost linear(String name, int in, int out, boolean perStep, boolean inputGradient,
      List<ParameterSpec> params) {
    long macs = (long) in * out;
    return new ModuleCost(name, "Linear", perStep ? "[B, T, " + out + "]" : "[B, " + out + "]",
        sum(params, name + "."), macs, inputGradient ? 2 * macs : macs, perStep);
  }

  /**
   * A recurrent stack per layer and direction: G·H·(I + H) multiply-adds forward; backward ∂L/∂W_ih,
   * ∂L/∂W_hh and ∂L/∂h_{t-1}, each as many as its forward product, and ∂L/∂input unless layer 0 reads
   * real-valued features (which take no gradient).
   */
  private static List<ModuleCost> stack(StackSpec stack, List<ParameterSpec> params) {
    List<ModuleCost> out = new ArrayList<>();
    String module = stack.role().module();
    for (LayerSpec l : stack.layerSpecs()) {
      long input = (long) l.gateWidth() * l.inputSize();
      long recurrent = (long) l.gateWidth() * l.hidden();
      boolean inputGradient = l.index() > 0 || stack.input() instanceof InputSpec.Embedding;
      long parameters = params.stream().filter(p -> l.equals(p.layer())).mapToLong(ParameterSpec::size).sum();
      out.add(new ModuleCost(module + "." + l.pytorchSuffix(), stack.cell().shortName(),
          "[B, T, " + l.hidden() + "]", parameters, input + recurrent,
          (inputGradient ? 2 : 1) * input + 2 * recurrent, true));
    }
    return out;
  }

  private static long sum(List<ParameterSpec> params, String prefix) {
    return params.stream().filter(p -> p.pytorchName().startsWith(prefix)).mapToLong(ParameterSpec::size).sum();
  }

  /**
   * Float32 bytes of a stack's time-indexed buffers per row and step, evaluation and training: the
   * input (and its mask), the inputs of the upper layers (and their dropout masks), per layer and
   * direction the gate buffer, the states and the cell's step buffers; training adds the gradients of
   * all of them but the states (∂L/∂a, the cell's gradient step buffers, ∂L/∂input).
   */
  private static Bytes stackBytes(StackSpec stack, CellMath math, boolean masked) {
    long h = stack.hidden();
    long forward = stack.input().width() + (masked ? 1 : 0);
    long gradient = stack.input() instanceof InputSpec.Embedding ? stack.input().width() : 0;
    forward += (stack.layers() - 1L) * stack.topWidth() * (stack.usesDropout() ? 2 : 1);
    gradient += (stack.layers() - 1L) * stack.topWidth();
    for (LayerSpec l : stack.layerSpecs()) {
      forward += l.gateWidth() + h + (math.hasCellState() ? h : 0);
      gradient += l.gateWidth();
      for (Buffer b : math.buffers()) {
        if (b.scope() == Buffer.Scope.STEP) {
          if (b.name().startsWith("d")) {
            gradient += b.blocks() * h;
          } else {
            forward += b.blocks() * h;
          }
        }
      }
    }
    return new Bytes(forward, forward + gradient);
  }

  /** The output layer's input and logits at every step; training adds their gradients. */
  private static Bytes outputLayerBytes(int in, int out) {
    return new Bytes(in + out, 2L * (in + out));
  }

  /**
   * Float32 scalars of the copies {@code RecurrentWeight} keeps of a stack's recurrent weights for the
   * Java step products: W and Wᵀ of every layer and direction.
   */
  private static long weightCopies(StackSpec stack) {
    return stack.layerSpecs().stream().mapToLong(l -> 2L * l.gateWidth() * l.hidden()).sum();
  }

  /** Floats per row and step, evaluation and training, before they become bytes. */
  private record Bytes(long forwardFloats, long trainingFloats) {
    Bytes plus(Bytes other) {
      return new Bytes(forwardFloats + other.forwardFloats, trainingFloats + other.trainingFloats);
    }

    CostFigures figures(List<ModuleCost> modules, long fixedFloats) {
      return new CostFigures(List.copyOf(modules), forwardFloats * Float.BYTES, trainingFloats * Float.BYTES,
          fixedFloats * Float.BYTES);
    }
  }
}
