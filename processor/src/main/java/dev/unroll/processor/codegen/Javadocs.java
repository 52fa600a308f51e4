package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import dev.unroll.processor.math.CellMath;
import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.LayerSpec;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.model.TopologyKind;
import dev.unroll.processor.model.UnrollPlan;
import java.util.Locale;
import java.util.stream.Collectors;

/** The class Javadoc: a summary of the model, its per-step equations, and a usage example. */
final class Javadocs {
  private Javadocs() {}

  static CodeBlock classDoc(ModelSpec spec, CellMath math) {
    String name = spec.interfaceName();
    boolean manyToOne = spec.topology() == TopologyKind.MANY_TO_ONE;
    StringBuilder d = new StringBuilder();
    d.append("{@link ").append(name).append("}: ")
        .append(spec.layers() == 1 ? "one " : spec.layers() + " stacked ")
        .append(spec.bidirectional() ? "bidirectional " : "")
        .append(spec.cell().shortName()).append(spec.layers() == 1 ? " layer" : " layers").append(" over ")
        .append(spec.input() instanceof InputSpec.Embedding e
            ? "embedded tokens (vocabulary " + e.vocab() + ")"
            : spec.input().width() + " features")
        .append(", ").append(manyToOne ? "many-to-one" : "many-to-many").append(", ")
        .append(spec.output()).append(" classes.\n");
    d.append("<pre>\n");
    if (spec.input() instanceof InputSpec.Embedding e) {
      row(d, "input", "x", "[B, T]", "int64 token ids < " + e.vocab());
      row(d, "embed", "", "[" + e.vocab() + ", " + e.dim() + "]", "a gather of rows");
    } else {
      row(d, "input", "x", "[B, T, " + spec.input().width() + "]", "float32 or float64");
    }
    for (LayerSpec l : spec.layerSpecs()) {
      if (l.reverse()) {
        continue;
      }
      row(d, "layer " + l.index(), spec.cell().shortName(), "hidden " + spec.hidden(),
          (spec.bidirectional() ? "forward and reverse" : "forward only") + ", " + (spec.bias() ? "with bias" : "no bias")
              + (l.index() > 0 && spec.usesDropout() ? ", dropout " + spec.dropout() + " on its input" : ""));
    }
    row(d, "output", "logits", manyToOne ? "[B, " + spec.output() + "]" : "[B, T, " + spec.output() + "]",
        manyToOne ? (spec.bidirectional() ? "from both directions' final states" : "from h at each row's last valid step")
            : "from h at every step");
    CostFigures cost = CostFigures.of(spec);
    row(d, "params", String.format(Locale.ROOT, "%,d", cost.parameters()), "", cost.moduleNames().stream()
        .map(m -> String.format(Locale.ROOT, "%s %,d", m, cost.parameters(m)))
        .collect(Collectors.joining(" + ", "(", ")")));
    row(d, "mult-add", String.format(Locale.ROOT, "%,d", cost.macsPerRowStep(true)), "", String.format(Locale.ROOT,
        "per row and step (backward %,d)%s", cost.macsPerRowStep(false), cost.macsPerRow(true) == 0 ? ""
            : String.format(Locale.ROOT, "; once per row %,d (%,d)", cost.macsPerRow(true), cost.macsPerRow(false))));
    row(d, "memory", String.format(Locale.ROOT, "%,d", cost.trainingBytes()), "", String.format(Locale.ROOT,
        "work-buffer bytes per row and step, training (evaluation %,d)", cost.forwardBytes()));
    row(d, "time", timeWord(spec.unroll()), "", "");
    d.append("</pre>\n");
    d.append("Each step, per layer and direction (").append(spec.cell().description()).append("):\n<pre>\n");
    for (String line : math.summary(spec.bias())) {
      d.append("  ").append(line).append('\n');
    }
    d.append("</pre>\n");
    d.append("Usage:\n<pre>\n");
    String cls = spec.generatedSimpleName();
    d.append("  ").append(cls).append(" model = new ").append(cls).append("(42);\n");
    d.append("  INDArray logits = model.forward(x);\n");
    d.append("  Gradients g = model.gradients(x, y);  // y: ")
        .append(manyToOne ? "class ids [B]" : "class ids [B, T]").append("\n");
    d.append("</pre>\n");
    d.append("An instance is not thread-safe: it reuses its work buffers. Give each thread its own\n")
        .append("{@link #replica()}, which shares the parameters.\n");
    return CodeBlock.of("$L", d.toString().replace("$", "$$"));
  }

  private static void row(StringBuilder d, String a, String b, String c, String rest) {
    d.append(String.format(Locale.ROOT, "%-9s%-8s%-15s%s", a, b, c, rest).stripTrailing()).append('\n');
  }

  private static String timeWord(UnrollPlan plan) {
    if (plan instanceof UnrollPlan.Full f) {
      return "all " + f.steps() + " steps written out (@Unroll(steps = " + f.steps() + "))";
    }
    if (plan instanceof UnrollPlan.Factor f) {
      return "a loop of " + f.factor() + " written-out steps per iteration (@Unroll(factor = " + f.factor() + "))";
    }
    return "a loop over time, one step per iteration";
  }
}
