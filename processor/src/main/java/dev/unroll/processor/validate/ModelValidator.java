package dev.unroll.processor.validate;

import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.ReaderSpec;
import dev.unroll.processor.model.SequenceSpec;
import dev.unroll.processor.model.Spec;
import dev.unroll.processor.model.TopologyKind;
import dev.unroll.processor.model.UnrollPlan;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The validate stage: reads one annotated interface and returns either a complete {@link ReaderSpec}
 * or the diagnostics that explain why not (never a half-filled model). Every concern is checked and
 * reported, except checks that would be nonsense after an earlier error; warnings may accompany a
 * spec. Prints nothing.
 */
public final class ModelValidator {

  /** Qualified names of the DSL's annotations: the processor's supported annotation types. */
  public static final Set<String> ANNOTATION_TYPES =
      Collections.unmodifiableSet(new LinkedHashSet<>(AnnotationReader.QUALIFIED_NAMES));

  /**
   * The outcome for one interface.
   *
   * @param spec        the model, present only when {@code diagnostics} holds no error
   * @param diagnostics errors and warnings, in the order they were found
   */
  public record Result(Optional<Spec> spec, Diagnostics diagnostics) {
    public Result {
      Objects.requireNonNull(spec);
      Objects.requireNonNull(diagnostics);
      assert spec.isEmpty() || diagnostics.isClean();
    }

    /** A result with no model. */
    static Result failed(Diagnostics diagnostics) {
      return new Result(Optional.empty(), diagnostics);
    }

    /** The spec when it is a model that reads sequences (many-to-one, many-to-many). */
    public Optional<ReaderSpec> model() {
      return spec.filter(ReaderSpec.class::isInstance).map(ReaderSpec.class::cast);
    }

    /** The spec when it is a model that writes sequences (one-to-many, seq2seq). */
    public Optional<SequenceSpec> sequence() {
      return spec.filter(SequenceSpec.class::isInstance).map(SequenceSpec.class::cast);
    }
  }

  private final Elements elements;
  private final AnnotationReader reader;
  private final TypeValidator typeValidator = new TypeValidator();
  private final CellValidator cellValidator = new CellValidator();
  private final InputValidator inputValidator = new InputValidator();
  private final TopologyValidator topologyValidator = new TopologyValidator();
  private final OutputValidator outputValidator = new OutputValidator();
  private final UnrollValidator unrollValidator = new UnrollValidator();
  private final MethodValidator methodValidator;
  private final NameClashValidator nameClashValidator;
  private final SequenceValidator sequenceValidator;

  public ModelValidator(Elements elements, Types types) {
    this.elements = elements;
    this.reader = new AnnotationReader(elements);
    this.methodValidator = new MethodValidator(types);
    this.nameClashValidator = new NameClashValidator(elements);
    this.sequenceValidator = new SequenceValidator(reader);
  }

  /**
   * Whether {@code type} is the Encoder or Decoder part of a {@code @Seq2Seq} interface: validated
   * with it, never as a model of its own.
   */
  public boolean isPart(TypeElement type) {
    return sequenceValidator.isPart(type);
  }

  /** Validates {@code type}, a type carrying at least one of the DSL's annotations. */
  public Result validate(TypeElement type) {
    Diagnostics diagnostics = new Diagnostics();
    String packageName = Naming.packageName(elements, type);
    String interfaceName = Naming.interfaceName(elements, type);
    List<DslAnnotation> annotations = reader.read(type);

    typeValidator.validate(type, interfaceName, diagnostics);
    Optional<TopologyKind> topology = topologyValidator.validate(type, interfaceName, annotations, diagnostics);
    if (topology.isPresent() && (topology.get() == TopologyKind.ONE_TO_MANY || topology.get() == TopologyKind.SEQ2SEQ)) {
      Optional<SequenceSpec> sequence = sequenceValidator.validate(type, packageName, interfaceName, annotations,
          topology.get(), diagnostics);
      if (type.getKind() == ElementKind.INTERFACE) {
        methodValidator.validate(type, interfaceName, diagnostics);
      }
      nameClashValidator.validate(type, packageName, interfaceName, diagnostics);
      return diagnostics.isClean() && sequence.isPresent()
          ? new Result(Optional.of(sequence.get()), diagnostics)
          : Result.failed(diagnostics);
    }
    for (DslAnnotation condition : DslAnnotation.named(annotations, AnnotationReader.CONDITION)) {
      diagnostics.onMirror(Message.CONDITION_TOPOLOGY, type, condition.mirror(), interfaceName,
          topology.map(t -> t == TopologyKind.MANY_TO_ONE ? "@ManyToOne" : "@ManyToMany").orElse("not"), "");
    }
    Optional<CellValidator.Cell> cell = cellValidator.validate(type, interfaceName, annotations, diagnostics);
    Optional<InputSpec> input = inputValidator.validate(type, interfaceName, annotations, diagnostics);
    OptionalInt output = outputValidator.validate(type, interfaceName, annotations, diagnostics);
    Optional<UnrollPlan> unroll =
        unrollValidator.validate(type, annotations, cellValidator.stack(annotations), diagnostics);
    if (type.getKind() == ElementKind.INTERFACE) {
      methodValidator.validate(type, interfaceName, diagnostics);
    }
    nameClashValidator.validate(type, packageName, interfaceName, diagnostics);

    if (!diagnostics.isClean() || cell.isEmpty() || input.isEmpty() || topology.isEmpty()
        || output.isEmpty() || unroll.isEmpty()) {
      return Result.failed(diagnostics);
    }
    CellValidator.Cell c = cell.get();
    ReaderSpec spec = new ReaderSpec(type, packageName, interfaceName, c.kind(), c.hidden(), c.layers(),
        c.bidirectional(), c.bias(), c.dropout(), input.get(), topology.get(), output.getAsInt(), unroll.get(),
        outputValidator.loss(annotations));
    return new Result(Optional.of(spec), diagnostics);
  }
}
