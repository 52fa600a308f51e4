package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import dev.unroll.processor.math.CellMath;
import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.LayerSpec;
import dev.unroll.processor.model.ReaderSpec;
import dev.unroll.processor.model.SequenceSpec;
import dev.unroll.processor.model.StackSpec;
import dev.unroll.processor.model.TopologyKind;
import dev.unroll.processor.model.UnrollPlan;
import java.util.Locale;
import java.util.stream.Collectors;

/** The class Javadocs: a summary of the model, its per-step equations, and a usage example. */
final class Javadocs {
  private Javadocs() {}

  static CodeBlock classDoc(ReaderSpec spec, CellMath math) {
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
        .append(spec.output()).append(spec.regression() ? " values predicted by mean squared error.\n" : " classes.\n");
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
    row(d, "output", spec.regression() ? "ŷ" : "logits", manyToOne ? "[B, " + spec.output() + "]" : "[B, T, " + spec.output() + "]",
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
    OutputLoss loss = new OutputLoss(spec);
    d.append("  INDArray ").append(loss.values()).append(" = model.forward(x);\n");
    d.append("  Gradients g = model.gradients(x, y);  // y: ")
        .append(spec.regression() ? loss.targetsDoc().replace(" (padded steps: left out by the mask)", "")
            : manyToOne ? "class ids [B]" : "class ids [B, T]").append("\n");
    if (spec.regression()) {
      d.append("  // L = mean over counted elements of (ŷ − y)²\n");
    }
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

  /**
   * The class Javadoc of a sequence model (one-to-many, seq2seq): what it is, its costs, its
   * per-step equations and a usage example.
   */
  static CodeBlock sequenceClassDoc(SequenceSpec spec, CellMath math) {
    boolean seq2seq = spec.seq2seq();
    boolean lstm = math.hasCellState();
    StackSpec d = spec.decoder();
    StringBuilder doc = new StringBuilder();
    String cell = d.cell().shortName();
    doc.append("{@link ").append(spec.interfaceName()).append("}: ");
    if (seq2seq) {
      StackSpec e = spec.encoder().get();
      doc.append("an encoder-decoder (translation). The encoder, ").append(layers(e)).append(" over source tokens")
          .append(" (vocabulary ").append(spec.sourceEmbedding().vocab()).append("), reads the whole source; ")
          .append(spec.bridged()
              ? "its final states of both directions, joined per layer, pass through {@code bridge}"
                  + (lstm ? " (and {@code bridge_c} for c)" : "") + " to start the decoder"
              : "its final state of every layer, at each row's last valid token, starts the decoder");
    } else {
      doc.append("one-to-many generation (captioning). A condition vector of ").append(spec.condition())
          .append(" values sets the initial hidden state of every layer, h0 = tanh(init(v))")
          .append(lstm ? " (c0 = 0)" : "").append("; then the decoder");
    }
    doc.append(seq2seq ? ". The decoder, " + layers(d) + "," : ", " + layers(d) + ",")
        .append(" reads its own previous token from START = ").append(spec.start())
        .append(" on and writes logits over ").append(spec.output()).append(" tokens until END = ")
        .append(spec.end()).append(" (decoding writes at most ").append(spec.maxSteps()).append(" tokens).");
    doc = new StringBuilder(wrap(doc.toString(), 100));
    doc.append("<pre>\n");
    CostFigures cost = CostFigures.of(spec);
    for (String module : cost.moduleNames()) {
      doc.append(String.format(Locale.ROOT, "%-15s%,10d parameters%n", module, cost.parameters(module)));
    }
    doc.append(String.format(Locale.ROOT, "%-15s%,10d parameters%n", "total", cost.parameters()));
    doc.append(String.format(Locale.ROOT, "%-15s%,10d multiply-adds per row and step (backward %,d)%n",
        "mult-add", cost.macsPerRowStep(true), cost.macsPerRowStep(false)));
    doc.append(String.format(Locale.ROOT, "%-15s%,10d work-buffer bytes per row and step, training "
        + "(evaluation %,d)%n", "memory", cost.trainingBytes(), cost.forwardBytes()));
    doc.append("</pre>\n");
    doc.append("Each step, per layer and direction (").append(d.cell().description()).append("):\n<pre>\n");
    for (String line : math.summary(d.bias())) {
      doc.append("  ").append(line).append('\n');
    }
    doc.append("</pre>\n");
    String cls = spec.generatedSimpleName();
    doc.append("Usage:\n<pre>\n");
    doc.append("  ").append(cls).append(" model = new ").append(cls).append("(42);\n");
    if (seq2seq) {
      doc.append("  Gradients g = model.gradients(src, srcMask, tgtIn, y);  // teacher forcing\n");
      doc.append("  Decoded out = Decoding.greedy(model, model.encode(src, srcMask));\n");
    } else {
      doc.append("  Gradients g = model.gradients(condition, tgtIn, y);  // teacher forcing\n");
      doc.append("  Decoded out = Decoding.greedy(model, model.initialState(condition));\n");
    }
    doc.append("</pre>\n");
    doc.append("An instance is not thread-safe: it reuses its work buffers. Give each thread its own\n")
        .append("{@link #replica()}, which shares the parameters.\n");
    return CodeBlock.of("$L", doc.toString().replace("$", "$$"));
  }

  /** {@code text} broken into lines of at most {@code width} characters, at spaces. */
  private static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    int line = 0;
    for (String word : text.split(" ")) {
      if (line > 0 && line + 1 + word.length() > width) {
        out.append('\n');
        line = 0;
      } else if (line > 0) {
        out.append(' ');
        line++;
      }
      out.append(word);
      line += word.length();
    }
    return out.append('\n').toString();
  }

  private static String layers(StackSpec s) {
    return (s.layers() == 1 ? "one " : s.layers() + " stacked ") + (s.bidirectional() ? "bidirectional " : "")
        + s.cell().shortName() + (s.layers() == 1 ? " layer" : " layers");
  }
}
