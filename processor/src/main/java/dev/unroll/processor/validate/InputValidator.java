package dev.unroll.processor.validate;

import static dev.unroll.processor.validate.AnnotationReader.EMBEDDING;
import static dev.unroll.processor.validate.AnnotationReader.FEATURES;

import dev.unroll.processor.model.InputSpec;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.lang.model.element.TypeElement;

/** Exactly one of {@code @Features} and {@code @Embedding}, with positive sizes. */
final class InputValidator {

  /** The input, or empty after an error (or a value javac already reports as missing). */
  Optional<InputSpec> validate(TypeElement type, String interfaceName, List<DslAnnotation> annotations,
      Diagnostics diagnostics) {
    List<DslAnnotation> inputs = DslAnnotation.named(annotations, FEATURES, EMBEDDING);
    if (inputs.isEmpty()) {
      diagnostics.onElement(Message.NO_INPUT, type, interfaceName);
      return Optional.empty();
    }
    if (inputs.size() > 1) {
      diagnostics.onMirror(Message.TWO_INPUTS, type, inputs.get(1).mirror(),
          interfaceName, inputs.get(0).display(), inputs.get(1).display());
    }
    DslAnnotation input = inputs.get(0);
    Optional<InputSpec> spec = input.name().equals(FEATURES) ? features(type, input, diagnostics)
        : embedding(type, input, diagnostics);
    return inputs.size() > 1 ? Optional.empty() : spec;
  }

  private static Optional<InputSpec> features(TypeElement type, DslAnnotation features, Diagnostics diagnostics) {
    OptionalInt n = positive(type, features, "value", Message.FEATURES, diagnostics);
    return n.isPresent() ? Optional.of(new InputSpec.Features(n.getAsInt())) : Optional.empty();
  }

  private static Optional<InputSpec> embedding(TypeElement type, DslAnnotation embedding, Diagnostics diagnostics) {
    OptionalInt vocab = positive(type, embedding, "vocab", Message.VOCAB, diagnostics);
    OptionalInt dim = positive(type, embedding, "dim", Message.DIM, diagnostics);
    return vocab.isPresent() && dim.isPresent()
        ? Optional.of(new InputSpec.Embedding(vocab.getAsInt(), dim.getAsInt()))
        : Optional.empty();
  }

  /** The value when it is at least 1; else reports {@code message} and returns empty. */
  static OptionalInt positive(TypeElement type, DslAnnotation annotation, String element, Message message,
      Diagnostics diagnostics) {
    OptionalInt value = annotation.intValue(element);
    if (value.isPresent() && value.getAsInt() < 1) {
      annotation.report(diagnostics, message, type, element, value.getAsInt());
      return OptionalInt.empty();
    }
    return value;
  }
}
