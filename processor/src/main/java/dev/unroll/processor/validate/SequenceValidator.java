package dev.unroll.processor.validate;

import static dev.unroll.processor.validate.AnnotationReader.CONDITION;
import static dev.unroll.processor.validate.AnnotationReader.EMBEDDING;
import static dev.unroll.processor.validate.AnnotationReader.FEATURES;
import static dev.unroll.processor.validate.AnnotationReader.GRU;
import static dev.unroll.processor.validate.AnnotationReader.LSTM;
import static dev.unroll.processor.validate.AnnotationReader.MANY_TO_MANY;
import static dev.unroll.processor.validate.AnnotationReader.MANY_TO_ONE;
import static dev.unroll.processor.validate.AnnotationReader.ONE_TO_MANY;
import static dev.unroll.processor.validate.AnnotationReader.OUTPUT;
import static dev.unroll.processor.validate.AnnotationReader.RNN;
import static dev.unroll.processor.validate.AnnotationReader.SEQ2SEQ;
import static dev.unroll.processor.validate.AnnotationReader.UNROLL;

import dev.unroll.processor.model.CellKind;
import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.LossKind;
import dev.unroll.processor.model.SequenceSpec;
import dev.unroll.processor.model.StackRole;
import dev.unroll.processor.model.StackSpec;
import dev.unroll.processor.model.TopologyKind;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * The generation topologies: {@code @OneToMany} (a cell, {@code @Embedding}, {@code @Condition} and
 * {@code @Output} on the interface) and {@code @Seq2Seq} (nothing but the topology on the interface;
 * nested {@code Encoder} and {@code Decoder} interfaces carry a cell and {@code @Embedding} each, the
 * decoder also {@code @Output}). Every problem is reported on the annotation or element at fault.
 */
final class SequenceValidator {
  static final String ENCODER = "Encoder";
  static final String DECODER = "Decoder";

  private final AnnotationReader reader;
  private final CellValidator cellValidator = new CellValidator();
  private final InputValidator inputValidator = new InputValidator();

  SequenceValidator(AnnotationReader reader) {
    this.reader = reader;
  }

  /** Whether {@code type} is the Encoder or Decoder part of a {@code @Seq2Seq} interface (not a model itself). */
  boolean isPart(TypeElement type) {
    String name = type.getSimpleName().toString();
    Element outer = type.getEnclosingElement();
    return (name.equals(ENCODER) || name.equals(DECODER)) && outer instanceof TypeElement t
        && !DslAnnotation.named(reader.read(t), SEQ2SEQ).isEmpty();
  }

  /** The model of an interface whose topology is {@code @OneToMany} or {@code @Seq2Seq}, or empty after an error. */
  Optional<SequenceSpec> validate(TypeElement type, String packageName, String interfaceName,
      List<DslAnnotation> annotations, TopologyKind topology, Diagnostics diagnostics) {
    DslAnnotation topologyAnnotation = DslAnnotation.named(annotations, ONE_TO_MANY, SEQ2SEQ).get(0);
    for (DslAnnotation unroll : DslAnnotation.named(annotations, UNROLL)) {
      diagnostics.onMirror(Message.UNROLL_GENERATION, type, unroll.mirror(), topologyAnnotation.display(), interfaceName);
    }
    return topology == TopologyKind.ONE_TO_MANY
        ? oneToMany(type, packageName, interfaceName, annotations, topologyAnnotation, diagnostics)
        : seq2seq(type, packageName, interfaceName, annotations, topologyAnnotation, diagnostics);
  }

  private Optional<SequenceSpec> oneToMany(TypeElement type, String packageName, String interfaceName,
      List<DslAnnotation> annotations, DslAnnotation topology, Diagnostics diagnostics) {
    Optional<StackSpec> stack = stack(type, interfaceName, annotations, StackRole.RNN, topology, diagnostics);
    OptionalInt condition = OptionalInt.empty();
    List<DslAnnotation> conditions = DslAnnotation.named(annotations, CONDITION);
    if (conditions.isEmpty()) {
      diagnostics.onElement(Message.NO_CONDITION, type, interfaceName);
    } else {
      condition = InputValidator.positive(type, conditions.get(0), "value", Message.CONDITION, diagnostics);
    }
    OptionalInt vocab = stack.map(s -> OptionalInt.of(((InputSpec.Embedding) s.input()).vocab())).orElse(OptionalInt.empty());
    boolean outputValid = output(type, interfaceName, annotations, vocab, "@OneToMany", diagnostics);
    Optional<int[]> tokens = tokens(type, topology, vocab, "", diagnostics);
    if (!diagnostics.isClean() || stack.isEmpty() || condition.isEmpty() || !outputValid || tokens.isEmpty()) {
      return Optional.empty();
    }
    int[] t = tokens.get();
    return Optional.of(new SequenceSpec(type, packageName, interfaceName, TopologyKind.ONE_TO_MANY,
        condition.getAsInt(), Optional.empty(), stack.get(), t[0], t[1], t[2]));
  }

  private Optional<SequenceSpec> seq2seq(TypeElement type, String packageName, String interfaceName,
      List<DslAnnotation> annotations, DslAnnotation topology, Diagnostics diagnostics) {
    for (DslAnnotation a : annotations) {
      switch (a.name()) {
        case RNN, LSTM, GRU, EMBEDDING, FEATURES -> diagnostics.onMirror(Message.PART_ANNOTATION, type, a.mirror(),
            a.display(), interfaceName, ENCODER + " or " + DECODER);
        case OUTPUT -> diagnostics.onMirror(Message.PART_ANNOTATION, type, a.mirror(), a.display(), interfaceName, DECODER);
        case CONDITION -> diagnostics.onMirror(Message.CONDITION_TOPOLOGY, type, a.mirror(), interfaceName,
            topology.display(), " (a @Seq2Seq decoder starts from its encoder's final state)");
        default -> { }
      }
    }
    Optional<TypeElement> encoderType = part(type, interfaceName, ENCODER, topology, diagnostics);
    Optional<TypeElement> decoderType = part(type, interfaceName, DECODER, topology, diagnostics);
    Optional<StackSpec> encoder = Optional.empty();
    Optional<StackSpec> decoder = Optional.empty();
    OptionalInt vocab = OptionalInt.empty();
    boolean outputValid = false;
    if (encoderType.isPresent()) {
      TypeElement e = encoderType.get();
      String name = interfaceName + "." + ENCODER;
      List<DslAnnotation> parts = reader.read(e);
      partExtras(e, name, parts, false, diagnostics);
      for (DslAnnotation output : DslAnnotation.named(parts, OUTPUT)) {
        diagnostics.onMirror(Message.ENCODER_OUTPUT, e, output.mirror(), name);
      }
      encoder = stack(e, name, parts, StackRole.ENCODER, topology, diagnostics);
    }
    if (decoderType.isPresent()) {
      TypeElement d = decoderType.get();
      String name = interfaceName + "." + DECODER;
      List<DslAnnotation> parts = reader.read(d);
      partExtras(d, name, parts, true, diagnostics);
      decoder = stack(d, name, parts, StackRole.DECODER, topology, diagnostics);
      vocab = decoder.map(s -> OptionalInt.of(((InputSpec.Embedding) s.input()).vocab())).orElse(OptionalInt.empty());
      outputValid = output(d, name, parts, vocab, "the Decoder of a @Seq2Seq model", diagnostics);
      if (encoder.isPresent() && decoder.isPresent()) {
        mismatch(d, interfaceName, parts, encoder.get(), decoder.get(), diagnostics);
      }
    }
    Optional<int[]> tokens = tokens(type, topology, vocab, "decoder's ", diagnostics);
    if (!diagnostics.isClean() || encoder.isEmpty() || decoder.isEmpty() || !outputValid || tokens.isEmpty()) {
      return Optional.empty();
    }
    int[] t = tokens.get();
    return Optional.of(new SequenceSpec(type, packageName, interfaceName, TopologyKind.SEQ2SEQ, 0, encoder,
        decoder.get(), t[0], t[1], t[2]));
  }

  /** The nested interface {@code name} of a {@code @Seq2Seq} interface, or an error on {@code @Seq2Seq}. */
  private static Optional<TypeElement> part(TypeElement type, String interfaceName, String name, DslAnnotation topology,
      Diagnostics diagnostics) {
    for (Element e : type.getEnclosedElements()) {
      if (e.getKind() == ElementKind.INTERFACE && e.getSimpleName().contentEquals(name)) {
        return Optional.of((TypeElement) e);
      }
    }
    boolean decoder = name.equals(DECODER);
    diagnostics.onMirror(Message.NO_PART, type, topology.mirror(), interfaceName, name,
        decoder ? "its cell, @Embedding and @Output" : "its cell and @Embedding",
        decoder ? "@Gru(hidden = 256) @Embedding(vocab = 6000, dim = 256) @Output(6000)"
            : "@Gru(hidden = 256) @Embedding(vocab = 8000, dim = 256)");
    return Optional.empty();
  }

  /** Annotations a part cannot carry: topologies, {@code @Condition}, {@code @Unroll}. */
  private static void partExtras(TypeElement part, String name, List<DslAnnotation> annotations, boolean decoder,
      Diagnostics diagnostics) {
    for (DslAnnotation a : DslAnnotation.named(annotations, MANY_TO_ONE, MANY_TO_MANY, ONE_TO_MANY, SEQ2SEQ, CONDITION,
        UNROLL)) {
      diagnostics.onMirror(Message.PART_ANNOTATION_EXTRA, part, a.mirror(), a.display(), name,
          decoder ? "a cell, @Embedding and @Output" : "a cell and @Embedding");
    }
  }

  /** A cell and an {@code @Embedding}, on a one-to-many interface or on a seq2seq part. */
  private Optional<StackSpec> stack(TypeElement type, String name, List<DslAnnotation> annotations, StackRole role,
      DslAnnotation topology, Diagnostics diagnostics) {
    Optional<CellValidator.Cell> cell = cellValidator.validate(type, name, annotations, diagnostics);
    Optional<InputSpec> input = inputValidator.validate(type, name, annotations, diagnostics);
    boolean valid = true;
    if (input.isPresent() && input.get() instanceof InputSpec.Features) {
      diagnostics.onMirror(Message.TOKENS_NEEDED, type, DslAnnotation.named(annotations, FEATURES).get(0).mirror(),
          name, role == StackRole.ENCODER ? "a @Seq2Seq Encoder"
              : role == StackRole.DECODER ? "a @Seq2Seq Decoder" : "a " + topology.display() + " model",
          role == StackRole.ENCODER ? "" : " (decoding feeds each output back as the next input)");
      valid = false;
    }
    if (cell.isPresent() && cell.get().bidirectional() && role != StackRole.ENCODER) {
      DslAnnotation c = DslAnnotation.named(annotations, RNN, LSTM, GRU).get(0);
      c.report(diagnostics, Message.BIDIRECTIONAL_DECODER, type, "bidirectional", name);
      valid = false;
    }
    if (!valid || cell.isEmpty() || input.isEmpty()) {
      return Optional.empty();
    }
    CellValidator.Cell c = cell.get();
    return Optional.of(new StackSpec(role, c.kind(), c.hidden(), c.layers(), c.bidirectional(), c.bias(), c.dropout(),
        input.get()));
  }

  /**
   * {@code @Output} is present, at least 1, equal to the decoder's vocabulary, and keeps the
   * cross-entropy loss ({@code what}: the topology in words, for the message).
   */
  private static boolean output(TypeElement type, String name, List<DslAnnotation> annotations, OptionalInt vocab,
      String what, Diagnostics diagnostics) {
    OutputValidator outputs = new OutputValidator();
    OptionalInt output = outputs.validate(type, name, annotations, diagnostics);
    if (output.isEmpty()) {
      return false;
    }
    if (outputs.loss(annotations) == LossKind.MSE) {
      DslAnnotation.named(annotations, OUTPUT).get(0)
          .report(diagnostics, Message.LOSS_TOPOLOGY, type, "loss", name, what);
      return false;
    }
    if (vocab.isPresent() && output.getAsInt() != vocab.getAsInt()) {
      DslAnnotation.named(annotations, OUTPUT).get(0)
          .report(diagnostics, Message.OUTPUT_VOCAB, type, "value", output.getAsInt(), name, vocab.getAsInt());
      return false;
    }
    return vocab.isPresent();
  }

  /** Encoder and decoder agree in cell kind, hidden size and layers. */
  private static void mismatch(TypeElement decoderType, String interfaceName, List<DslAnnotation> decoderAnnotations,
      StackSpec encoder, StackSpec decoder, Diagnostics diagnostics) {
    DslAnnotation cell = DslAnnotation.named(decoderAnnotations, RNN, LSTM, GRU).get(0);
    if (encoder.cell() != decoder.cell()) {
      diagnostics.onMirror(Message.PART_MISMATCH, decoderType, cell.mirror(), interfaceName, "cell",
          annotation(encoder.cell()), annotation(decoder.cell()));
    }
    if (encoder.hidden() != decoder.hidden()) {
      cell.report(diagnostics, Message.PART_MISMATCH, decoderType, "hidden", interfaceName, "hidden",
          "hidden = " + encoder.hidden(), "hidden = " + decoder.hidden());
    }
    if (encoder.layers() != decoder.layers()) {
      cell.report(diagnostics, Message.PART_MISMATCH, decoderType, "layers", interfaceName, "layers",
          "layers = " + encoder.layers(), "layers = " + decoder.layers());
    }
  }

  /** A cell kind in the user's words: the annotation that gives it. */
  private static String annotation(CellKind cell) {
    return switch (cell) {
      case RNN_TANH -> "@Rnn";
      case RNN_RELU -> "@Rnn(nonlinearity = RELU)";
      case LSTM -> "@Lstm";
      case GRU -> "@Gru";
      case GRU_RESET_BEFORE -> "@Gru(resetAfter = false)";
    };
  }

  /** start, end, maxSteps of the topology annotation, checked against the decoder's vocabulary when known. */
  private static Optional<int[]> tokens(TypeElement type, DslAnnotation topology, OptionalInt vocab, String whose,
      Diagnostics diagnostics) {
    OptionalInt start = topology.intValue("start");
    OptionalInt end = topology.intValue("end");
    OptionalInt maxSteps = topology.intValue("maxSteps");
    if (start.isEmpty() || end.isEmpty() || maxSteps.isEmpty()) {
      return Optional.empty();
    }
    boolean valid = true;
    if (vocab.isPresent()) {
      for (String element : List.of("start", "end")) {
        int id = topology.intValue(element).getAsInt();
        if (id < 0 || id >= vocab.getAsInt()) {
          topology.report(diagnostics, Message.TOKEN_RANGE, type, element, topology.name(), element, id, whose,
              vocab.getAsInt(), vocab.getAsInt() - 1);
          valid = false;
        }
      }
    }
    if (start.getAsInt() == end.getAsInt()) {
      topology.report(diagnostics, Message.START_END, type, "end", topology.name(), start.getAsInt());
      valid = false;
    }
    if (maxSteps.getAsInt() < 1) {
      topology.report(diagnostics, Message.MAX_STEPS, type, "maxSteps", topology.name(), maxSteps.getAsInt());
      valid = false;
    }
    return valid && vocab.isPresent()
        ? Optional.of(new int[] {start.getAsInt(), end.getAsInt(), maxSteps.getAsInt()})
        : Optional.empty();
  }
}
