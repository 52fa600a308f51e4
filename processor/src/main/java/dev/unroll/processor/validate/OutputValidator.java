package dev.unroll.processor.validate;

import static dev.unroll.processor.validate.AnnotationReader.OUTPUT;

import java.util.List;
import java.util.OptionalInt;
import javax.lang.model.element.TypeElement;

/** {@code @Output(n)} is present and {@code n} is at least 1. */
final class OutputValidator {

  /** The number of outputs, or empty after an error. */
  OptionalInt validate(TypeElement type, String interfaceName, List<DslAnnotation> annotations,
      Diagnostics diagnostics) {
    List<DslAnnotation> outputs = DslAnnotation.named(annotations, OUTPUT);
    if (outputs.isEmpty()) {
      diagnostics.onElement(Message.NO_OUTPUT, type, interfaceName);
      return OptionalInt.empty();
    }
    return InputValidator.positive(type, outputs.get(0), "value", Message.OUTPUT, diagnostics);
  }
}
