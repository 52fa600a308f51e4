package dev.unroll.processor.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The reports of one interface, in the order the validators made them. Validators append and carry
 * on; only {@code UnrollProcessor} prints, with the narrowest position each report names.
 */
public final class Diagnostics {

  /**
   * One report.
   *
   * @param kind    error or warning
   * @param element where it belongs: the interface or one of its methods
   * @param mirror  the annotation it is about, or null
   * @param value   the annotation value it is about, or null (non-null only with a mirror)
   * @param text    the full text, starting with the message's tag
   */
  public record Report(
      Diagnostic.Kind kind, Element element, AnnotationMirror mirror, AnnotationValue value, String text) {
    public Report {
      Objects.requireNonNull(kind);
      Objects.requireNonNull(element);
      Objects.requireNonNull(text);
      assert value == null || mirror != null;
    }
  }

  private final List<Report> reports = new ArrayList<>();

  /** Every report so far, in order. */
  public List<Report> reports() {
    return List.copyOf(reports);
  }

  /** Whether no report is an error (warnings may be present). */
  public boolean isClean() {
    return reports.stream().noneMatch(r -> r.kind() == Diagnostic.Kind.ERROR);
  }

  /** Reports {@code message} on an element (the interface or a method). */
  void onElement(Message message, Element element, Object... args) {
    add(message, element, null, null, args);
  }

  /** Reports {@code message} on an annotation of {@code element}. */
  void onMirror(Message message, Element element, AnnotationMirror mirror, Object... args) {
    add(message, element, Objects.requireNonNull(mirror), null, args);
  }

  /** Reports {@code message} on one value of an annotation of {@code element}. */
  void onValue(Message message, Element element, AnnotationMirror mirror, AnnotationValue value, Object... args) {
    add(message, element, Objects.requireNonNull(mirror), Objects.requireNonNull(value), args);
  }

  private void add(Message message, Element element, AnnotationMirror mirror, AnnotationValue value, Object[] args) {
    reports.add(new Report(message.kind(), element, mirror, value, message.format(args)));
  }
}
