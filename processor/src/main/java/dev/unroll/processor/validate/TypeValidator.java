package dev.unroll.processor.validate;

import java.util.Locale;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/** The annotated type itself: an interface, not generic, and reachable from its package. */
final class TypeValidator {

  /** Reports what makes {@code type} unusable as a model. */
  void validate(TypeElement type, String interfaceName, Diagnostics diagnostics) {
    String generated = Naming.generatedSimpleName(interfaceName);
    if (type.getKind() != ElementKind.INTERFACE) {
      diagnostics.onElement(Message.NOT_INTERFACE, type, interfaceName, kindPhrase(type.getKind()), generated);
    }
    if (!type.getTypeParameters().isEmpty()) {
      diagnostics.onElement(Message.GENERIC, type, interfaceName,
          type.getTypeParameters().stream().map(p -> p.getSimpleName().toString()).collect(Collectors.joining(", ")));
    }
    for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getModifiers().contains(Modifier.PRIVATE)) {
        diagnostics.onElement(Message.PRIVATE, type, interfaceName, generated, t.getSimpleName());
        break;
      }
    }
  }

  private static String kindPhrase(ElementKind kind) {
    return switch (kind) {
      case CLASS -> "a class";
      case ENUM -> "an enum";
      case RECORD -> "a record";
      case ANNOTATION_TYPE -> "an annotation type";
      default -> "a " + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }
}
