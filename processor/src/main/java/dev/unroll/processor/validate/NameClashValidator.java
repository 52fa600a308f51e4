package dev.unroll.processor.validate;

import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** The generated class's name must be free, or taken only by an earlier output of unroll. */
final class NameClashValidator {
  private static final String GENERATED = "javax.annotation.processing.Generated";
  private static final String PROCESSOR = "dev.unroll.processor.UnrollProcessor";

  private final Elements elements;

  NameClashValidator(Elements elements) {
    this.elements = elements;
  }

  void validate(TypeElement type, String packageName, String interfaceName, Diagnostics diagnostics) {
    String generated = Naming.qualify(packageName, Naming.generatedSimpleName(interfaceName));
    TypeElement existing = elements.getTypeElement(generated);
    if (existing != null && !generatedByUnroll(existing)) {
      diagnostics.onElement(Message.NAME_CLASH, type, interfaceName, generated);
    }
  }

  /** Whether {@code type} carries {@code @Generated} naming our processor. */
  private static boolean generatedByUnroll(TypeElement type) {
    for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
      if (!(mirror.getAnnotationType().asElement() instanceof TypeElement t)
          || !t.getQualifiedName().contentEquals(GENERATED)) {
        continue;
      }
      for (var entry : mirror.getElementValues().entrySet()) {
        ExecutableElement key = entry.getKey();
        if (key.getSimpleName().contentEquals("value") && mentionsProcessor(entry.getValue())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean mentionsProcessor(AnnotationValue value) {
    Object v = value.getValue();
    if (v instanceof String s) {
      return s.contains(PROCESSOR);
    }
    if (v instanceof List<?> list) {
      return list.stream().anyMatch(e -> e instanceof AnnotationValue a && mentionsProcessor(a));
    }
    return false;
  }
}
