package dev.unroll.processor.validate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.VariableElement;

/**
 * One of our annotations as written on an interface: its mirror, the values the user wrote, and
 * every value with defaults filled in. Typed getters are empty where javac could not give a value of
 * the declared type (javac reports that itself).
 */
final class DslAnnotation {
  private final String name;
  private final AnnotationMirror mirror;
  private final Map<String, AnnotationValue> explicit;
  private final Map<String, AnnotationValue> withDefaults;

  DslAnnotation(String name, AnnotationMirror mirror, Map<String, AnnotationValue> explicit,
      Map<String, AnnotationValue> withDefaults) {
    this.name = name;
    this.mirror = mirror;
    this.explicit = Map.copyOf(explicit);
    this.withDefaults = Map.copyOf(withDefaults);
  }

  /** The simple name, as the user writes it after {@code @}: {@code Lstm}. */
  String name() {
    return name;
  }

  /** {@code @Lstm}. */
  String display() {
    return "@" + name;
  }

  AnnotationMirror mirror() {
    return mirror;
  }

  /** Whether the user wrote {@code element = ...}, even if it equals the default. */
  boolean isSet(String element) {
    return explicit.containsKey(element);
  }

  /** The value the user wrote, for pointing at it; null when not written. */
  AnnotationValue written(String element) {
    return explicit.get(element);
  }

  OptionalInt intValue(String element) {
    return value(element) instanceof Integer i ? OptionalInt.of(i) : OptionalInt.empty();
  }

  OptionalDouble doubleValue(String element) {
    return value(element) instanceof Double d ? OptionalDouble.of(d) : OptionalDouble.empty();
  }

  Optional<Boolean> booleanValue(String element) {
    return value(element) instanceof Boolean b ? Optional.of(b) : Optional.empty();
  }

  /** The simple name of an enum constant value, e.g. {@code RELU}. */
  Optional<String> enumValue(String element) {
    return value(element) instanceof VariableElement v ? Optional.of(v.getSimpleName().toString()) : Optional.empty();
  }

  /** The value, written or default; null when javac has none (it reports that itself). */
  private Object value(String element) {
    AnnotationValue value = withDefaults.get(element);
    return value == null ? null : value.getValue();
  }

  /** Those of {@code annotations} whose simple name is one of {@code names}, in written order. */
  static List<DslAnnotation> named(List<DslAnnotation> annotations, String... names) {
    Set<String> wanted = Set.of(names);
    return annotations.stream().filter(a -> wanted.contains(a.name())).toList();
  }

  /** Reports on the written value of {@code element} when there is one, else on the annotation. */
  void report(Diagnostics diagnostics, Message message, Element on, String element, Object... args) {
    AnnotationValue value = written(element);
    if (value != null) {
      diagnostics.onValue(message, on, mirror, value, args);
    } else {
      diagnostics.onMirror(message, on, mirror, args);
    }
  }
}
