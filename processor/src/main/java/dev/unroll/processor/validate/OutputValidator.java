package dev.unroll.processor.validate;

import static dev.unroll.processor.validate.AnnotationReader.OUTPUT;

import dev.unroll.processor.model.LossKind;
import java.util.List;
import java.util.OptionalInt;
import javax.lang.model.element.TypeElement;

/** {@code @Output(n)} is present and {@code n} is at least 1; its {@code loss}. */
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

  /**
   * The loss of the first {@code @Output}: {@code MSE} when written so, else cross-entropy (the
   * default, and what is left when javac could not read the value: it reports that itself).
   */
  LossKind loss(List<DslAnnotation> annotations) {
    List<DslAnnotation> outputs = DslAnnotation.named(annotations, OUTPUT);
    return !outputs.isEmpty() && outputs.get(0).enumValue("loss").filter("MSE"::equals).isPresent()
        ? LossKind.MSE : LossKind.CROSS_ENTROPY;
  }
}
