package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.MethodSpec;
import dev.unroll.processor.math.Equation;
import dev.unroll.processor.math.HandOverMath;
import dev.unroll.processor.model.SequenceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * The hand-over of a sequence model's class: how the decoder's initial state is made
 * ({@code begin()}: from the condition through {@code init}, or from the encoder's final states,
 * through the {@code bridge} when the encoder is bidirectional), its buffers, and its part of the
 * backward pass. The equations are {@link HandOverMath}'s; this class binds their names.
 */
final class HandOverGenerator {
  private final SequenceSpec spec;
  private final boolean seq2seq;
  private final boolean lstm;
  private final Optional<StackGenerator> encoder;
  private final StackGenerator decoder;

  HandOverGenerator(SequenceSpec spec, boolean lstm, Optional<StackGenerator> encoder, StackGenerator decoder) {
    this.spec = spec;
    this.seq2seq = spec.seq2seq();
    this.lstm = lstm;
    this.encoder = encoder;
    this.decoder = decoder;
  }

  /** The initial-state arrays of a decoder layer: h, and c for an LSTM. */
  private List<String> stateNames() {
    return lstm ? List.of("h", "c") : List.of("h");
  }

  private List<RecurrenceGenerator> decoderLayers() {
    return decoder.layers();
  }

  /** Buffers of the hand-over to the decoder's initial state, sized per batch. */
  List<BufferField> buffers() {
    List<BufferField> out = new ArrayList<>();
    if (!seq2seq) {
      out.add(BufferField.matrix("condition", "the condition vectors [B, CONDITION]",
          CodeBlock.of("$T.create(dataType, batch, CONDITION)", Names.ND4J)));
      out.add(BufferField.matrix("initial", "h0 of every layer side by side, tanh(init(v)) [B, LAYERS·HIDDEN]",
          CodeBlock.of("$T.create(dataType, batch, LAYERS * HIDDEN)", Names.ND4J)));
      out.add(BufferField.matrix("dInitial", "∂L/∂initial, then ∂L/∂(init(v))",
          CodeBlock.of("$T.create(dataType, batch, LAYERS * HIDDEN)", Names.ND4J)));
      for (int l = 0; l < spec.decoder().layers(); l++) {
        out.add(BufferField.matrix("initialSlot" + l, "the columns of {@link #initial} that are h0 of layer " + l,
            CodeBlock.of("$T.columns(initial, $L, $L)", Names.VIEWS, Expressions.blocks(l), Expressions.blocks(l + 1))));
        out.add(BufferField.matrix("dInitialSlot" + l, "the columns of {@link #dInitial} of layer " + l,
            CodeBlock.of("$T.columns(dInitial, $L, $L)", Names.VIEWS, Expressions.blocks(l), Expressions.blocks(l + 1))));
      }
    } else if (spec.bridged()) {
      for (String s : lstm ? List.of("h", "c") : List.of("h")) {
        String in = bridgeInput(s);
        String outName = bridgeOutput(s);
        String what = s.equals("h") ? "hidden" : "cell";
        out.add(BufferField.matrix(in, "the encoder's final " + what + " states, forward and reverse side by side,\n"
                + "layer by layer [LAYERS·B, 2·HIDDEN]",
            CodeBlock.of("$T.create(dataType, LAYERS * batch, DIRECTIONS * HIDDEN)", Names.ND4J)));
        out.add(BufferField.matrix(StackGenerator.gradientOf(in), "∂L/∂" + in,
            CodeBlock.of("$T.create(dataType, LAYERS * batch, DIRECTIONS * HIDDEN)", Names.ND4J)));
        out.add(BufferField.matrix(outName, "the decoder's initial " + what + " states, layer by layer [LAYERS·B, HIDDEN]",
            CodeBlock.of("$T.create(dataType, LAYERS * batch, HIDDEN)", Names.ND4J)));
        out.add(BufferField.matrix(StackGenerator.gradientOf(outName), "∂L/∂" + outName,
            CodeBlock.of("$T.create(dataType, LAYERS * batch, HIDDEN)", Names.ND4J)));
      }
    }
    return out;
  }

  /**
   * {@code begin()}: the decoder's initial state, from the condition (one-to-many) or from the
   * encoder, which it runs first (seq2seq).
   */
  MethodSpec begin(boolean encoderDropout) {
    MethodSpec.Builder m = MethodSpec.methodBuilder("begin").addModifiers(Modifier.PRIVATE);
    if (encoderDropout) {
      m.addParameter(boolean.class, "training");
    }
    if (!seq2seq) {
      m.addJavadoc("The decoder's initial state from the condition: h0 = tanh(init(v)) for every layer$L.\n",
          lstm ? ", c0 = 0" : "");
      render(m, HandOverMath.initForward(), INIT);
      for (RecurrenceGenerator g : decoderLayers()) {
        int l = g.names().layer.index();
        m.addStatement("$N[0].assign(initialSlot$L)", g.names().field("h"), l);
        if (lstm) {
          m.addStatement("$N[0].assign(0)", g.names().field("c"));
        }
      }
    } else {
      StackGenerator e = encoder.get();
      m.addJavadoc("Runs the encoder and hands its final state to the decoder$L.\n",
          spec.bridged() ? " through the bridge" : "");
      m.addComment("the encoder starts from zero");
      for (RecurrenceGenerator g : e.layers()) {
        for (String s : stateNames()) {
          m.addStatement("$N[$L].assign(0)", g.names().field(s), g.names().initialBlock());
        }
      }
      m.addCode(e.forward());
      if (!spec.bridged()) {
        m.addComment("each decoder layer starts where the encoder layer of the same index ended "
            + "(a padded row: at its last valid token)");
        for (int l = 0; l < spec.decoder().layers(); l++) {
          RecurrenceGenerator from = e.layer(l).get(0);
          RecurrenceGenerator to = decoder.layer(l).get(0);
          for (String s : stateNames()) {
            m.addStatement("$N[0].assign($N[$L])", to.names().field(s), from.names().field(s), from.names().finalBlock());
          }
        }
      } else {
        for (String s : stateNames()) {
          boolean h = s.equals("h");
          m.addComment("[$L_fwd, $L_bwd] of every layer's final state, a row block per layer", s, s);
          for (int l = 0; l < spec.decoder().layers(); l++) {
            for (RecurrenceGenerator g : e.layer(l)) {
              m.addStatement("$T.columns($T.rows($N, $L), $L, $L).assign($N[$L])", Names.VIEWS,
                  Names.VIEWS, bridgeInput(s), layerRows(l), g.names().layer.reverse() ? "HIDDEN" : "0",
                  g.names().layer.reverse() ? "2 * HIDDEN" : "HIDDEN", g.names().field(s), g.names().finalBlock());
            }
          }
          render(m, HandOverMath.bridgeForward(h), bridge(s));
          for (RecurrenceGenerator g : decoderLayers()) {
            int l = g.names().layer.index();
            m.addStatement("$N[0].assign($T.rows($N, $L))", g.names().field(s), Names.VIEWS,
                bridgeOutput(s), layerRows(l));
          }
        }
      }
    }
    return m.build();
  }

  /** The hand-over part of {@code backward()}, after the decoder's loop: into init, or into the encoder. */
  void backward(MethodSpec.Builder m) {
    m.addComment("after its backward loop, each decoder layer's ∂L/∂h carry is ∂L/∂h0$L", lstm ? " (and ∂L/∂c0)" : "");
    if (!seq2seq) {
      for (RecurrenceGenerator g : decoderLayers()) {
        m.addStatement("dInitialSlot$L.assign($N)", g.names().layer.index(), g.names().field("dhCarry"));
      }
      HandOverMath.initBackward().forEach(e -> render(m, e, INIT));
    } else {
      StackGenerator e = encoder.get();
      if (!spec.bridged()) {
        m.addComment("which is ∂L/∂(final state) of the encoder layer of the same index");
        for (int l = 0; l < spec.decoder().layers(); l++) {
          RecurrenceGenerator from = decoder.layer(l).get(0);
          RecurrenceGenerator to = e.layer(l).get(0);
          m.addStatement("$N.assign($N)", to.names().field("dhFinal"), from.names().field("dhCarry"));
          if (lstm) {
            m.addStatement("$N.assign($N)", to.names().field("dcFinal"), from.names().field("dcCarry"));
          }
        }
      } else {
        for (String s : stateNames()) {
          boolean h = s.equals("h");
          String dOut = StackGenerator.gradientOf(bridgeOutput(s));
          String dIn = StackGenerator.gradientOf(bridgeInput(s));
          for (RecurrenceGenerator g : decoderLayers()) {
            int l = g.names().layer.index();
            m.addStatement("$T.rows($N, $L).assign($N)", Names.VIEWS, dOut, layerRows(l),
                g.names().field(h ? "dhCarry" : "dcCarry"));
          }
          HandOverMath.bridgeBackward(h).forEach(eq -> render(m, eq, bridge(s)));
          for (int l = 0; l < spec.decoder().layers(); l++) {
            for (RecurrenceGenerator g : e.layer(l)) {
              m.addStatement("$N.assign($T.columns($T.rows($N, $L), $L, $L))",
                  g.names().field(h ? "dhFinal" : "dcFinal"), Names.VIEWS, Names.VIEWS, dIn, layerRows(l),
                  g.names().layer.reverse() ? "HIDDEN" : "0", g.names().layer.reverse() ? "2 * HIDDEN" : "HIDDEN");
            }
          }
        }
      }
      m.addCode(e.backward(""));
    }
  }

  /** The names of {@link HandOverMath}'s init equations: h0 of every layer from the condition. */
  private static final Map<String, String> INIT = Map.of("out", "initial", "in", "condition",
      "weight", "initWeight", "bias", "initBias", "dOut", "dInitial", "gWeight", "gradInitWeight",
      "gBias", "gradInitBias");

  /** The names of {@link HandOverMath}'s bridge equations for state {@code s} (h or c). */
  private static Map<String, String> bridge(String s) {
    String w = s.equals("h") ? "bridgeWeight" : "bridgeCWeight";
    String b = s.equals("h") ? "bridgeBias" : "bridgeCBias";
    return Map.of("out", bridgeOutput(s), "in", bridgeInput(s), "weight", w, "bias", b,
        "dOut", StackGenerator.gradientOf(bridgeOutput(s)), "dIn", StackGenerator.gradientOf(bridgeInput(s)),
        "gWeight", RecurrenceGenerator.grad(w), "gBias", RecurrenceGenerator.grad(b));
  }

  /** A hand-over equation: its comment, then its statements with {@code names} bound. */
  private static void render(MethodSpec.Builder m, Equation e, Map<String, String> names) {
    m.addComment("$L", e.equation());
    e.statements().forEach(st -> m.addCode(Statements.substitute(st, names)));
  }

  /** The rows of layer {@code l} in a layer-by-layer buffer: {@code 0, batch}, {@code batch, 2 * batch}. */
  private static String layerRows(int l) {
    String from = l == 0 ? "0" : l == 1 ? "batch" : l + " * batch";
    String to = l == 0 ? "batch" : (l + 1) + " * batch";
    return from + ", " + to;
  }

  private static String bridgeInput(String s) {
    return s.equals("h") ? "bridgeInput" : "bridgeCInput";
  }

  private static String bridgeOutput(String s) {
    return s.equals("h") ? "bridgeOutput" : "bridgeCOutput";
  }
}
