package dev.unroll.processor.validate;

import static dev.unroll.processor.validate.AnnotationReader.GRU;
import static dev.unroll.processor.validate.AnnotationReader.LSTM;
import static dev.unroll.processor.validate.AnnotationReader.RNN;

import dev.unroll.processor.model.CellKind;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import javax.lang.model.element.TypeElement;

/** Exactly one of {@code @Rnn}, {@code @Lstm}, {@code @Gru}, with a sensible stack. */
final class CellValidator {

  /** The recurrent stack as validated. */
  record Cell(CellKind kind, int hidden, int layers, boolean bidirectional, boolean bias, double dropout) {}

  /** What the unroll budget needs: layers and directions of a cell whose layers are valid. */
  record Stack(int layers, int directions) {}

  /** The cell, or empty after an error (or a value javac already reports as missing). */
  Optional<Cell> validate(TypeElement type, String interfaceName, List<DslAnnotation> annotations,
      Diagnostics diagnostics) {
    List<DslAnnotation> cells = DslAnnotation.named(annotations, RNN, LSTM, GRU);
    if (cells.isEmpty()) {
      diagnostics.onElement(Message.NO_CELL, type, interfaceName);
      return Optional.empty();
    }
    for (int i = 1; i < cells.size(); i++) {
      diagnostics.onMirror(Message.TWO_CELLS, type, cells.get(i).mirror(),
          interfaceName, Naming.count(i + 1), Naming.andList(cells.subList(0, i + 1)));
    }
    boolean valid = cells.size() == 1;
    DslAnnotation cell = cells.get(0);

    OptionalInt hidden = cell.intValue("hidden");
    if (hidden.isPresent() && hidden.getAsInt() < 1) {
      cell.report(diagnostics, Message.HIDDEN, type, "hidden", cell.name(), hidden.getAsInt());
      valid = false;
    }
    OptionalInt layers = cell.intValue("layers");
    boolean layersValid = layers.isPresent() && layers.getAsInt() >= 1;
    if (layers.isPresent() && !layersValid) {
      cell.report(diagnostics, Message.LAYERS, type, "layers", cell.name(), layers.getAsInt());
      valid = false;
    }
    OptionalDouble dropout = cell.doubleValue("dropout");
    if (dropout.isPresent()) {
      double p = dropout.getAsDouble();
      if (!(p >= 0 && p < 1)) {
        cell.report(diagnostics, Message.DROPOUT_RANGE, type, "dropout", cell.name(), Double.toString(p));
        valid = false;
      } else if (p > 0 && layersValid && layers.getAsInt() == 1) {
        cell.report(diagnostics, Message.DROPOUT_ONE_LAYER, type, "dropout", Double.toString(p));
      }
    }
    Optional<CellKind> kind = kind(cell);
    Optional<Boolean> bidirectional = cell.booleanValue("bidirectional");
    Optional<Boolean> bias = cell.booleanValue("bias");
    if (!valid || hidden.isEmpty() || !layersValid || dropout.isEmpty() || kind.isEmpty()
        || bidirectional.isEmpty() || bias.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Cell(kind.get(), hidden.getAsInt(), layers.getAsInt(), bidirectional.get(),
        bias.get(), dropout.getAsDouble()));
  }

  /** Layers and directions of the first cell annotation, when its layers are valid. */
  Optional<Stack> stack(List<DslAnnotation> annotations) {
    List<DslAnnotation> cells = DslAnnotation.named(annotations, RNN, LSTM, GRU);
    if (cells.isEmpty()) {
      return Optional.empty();
    }
    DslAnnotation cell = cells.get(0);
    OptionalInt layers = cell.intValue("layers");
    Optional<Boolean> bidirectional = cell.booleanValue("bidirectional");
    if (layers.isEmpty() || layers.getAsInt() < 1 || bidirectional.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Stack(layers.getAsInt(), bidirectional.get() ? 2 : 1));
  }

  private static Optional<CellKind> kind(DslAnnotation cell) {
    return switch (cell.name()) {
      case RNN -> cell.enumValue("nonlinearity").flatMap(n -> switch (n) {
        case "TANH" -> Optional.of(CellKind.RNN_TANH);
        case "RELU" -> Optional.of(CellKind.RNN_RELU);
        default -> Optional.<CellKind>empty();
      });
      case LSTM -> Optional.of(CellKind.LSTM);
      case GRU -> cell.booleanValue("resetAfter").map(after -> after ? CellKind.GRU : CellKind.GRU_RESET_BEFORE);
      default -> throw new AssertionError(cell.name());
    };
  }
}
