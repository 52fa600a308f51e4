package dev.unroll.processor.validate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** Reads our annotations off an interface. The only class that looks at {@code AnnotationMirror}s. */
final class AnnotationReader {
  static final String PACKAGE = "dev.unroll.dsl";

  static final String RNN = "Rnn";
  static final String LSTM = "Lstm";
  static final String GRU = "Gru";
  static final String FEATURES = "Features";
  static final String EMBEDDING = "Embedding";
  static final String MANY_TO_ONE = "ManyToOne";
  static final String MANY_TO_MANY = "ManyToMany";
  static final String OUTPUT = "Output";
  static final String UNROLL = "Unroll";
  static final String ONE_TO_MANY = "OneToMany";
  static final String SEQ2SEQ = "Seq2Seq";
  static final String CONDITION = "Condition";

  /** Every annotation of the DSL, by simple name, in a fixed order. */
  static final List<String> SIMPLE_NAMES =
      List.of(RNN, LSTM, GRU, FEATURES, EMBEDDING, MANY_TO_ONE, MANY_TO_MANY, OUTPUT, UNROLL, ONE_TO_MANY, SEQ2SEQ,
          CONDITION);

  /** The qualified names, {@code dev.unroll.dsl.Lstm}, ... */
  static final Set<String> QUALIFIED_NAMES = SIMPLE_NAMES.stream()
      .map(n -> PACKAGE + "." + n)
      .collect(Collectors.toCollection(LinkedHashSet::new));

  private final Elements elements;

  AnnotationReader(Elements elements) {
    this.elements = elements;
  }

  /** Our annotations on {@code type}, in the order they are written. */
  List<DslAnnotation> read(TypeElement type) {
    List<DslAnnotation> out = new ArrayList<>();
    for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
      Element annotationType = mirror.getAnnotationType().asElement();
      if (!(annotationType instanceof TypeElement t)
          || !QUALIFIED_NAMES.contains(t.getQualifiedName().toString())) {
        continue;
      }
      out.add(new DslAnnotation(t.getSimpleName().toString(), mirror,
          byName(mirror.getElementValues()), byName(elements.getElementValuesWithDefaults(mirror))));
    }
    return out;
  }

  private static Map<String, AnnotationValue> byName(Map<? extends ExecutableElement, ? extends AnnotationValue> values) {
    Map<String, AnnotationValue> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k.getSimpleName().toString(), v));
    return out;
  }
}
