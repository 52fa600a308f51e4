package dev.unroll.examples.charlm;

import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --model small|medium|large|medium-plain}. */
final class ModelConverter implements ITypeConverter<ModelChoice> {
  @Override
  public ModelChoice convert(String value) {
    try {
      return ModelChoice.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** The completion candidates: the labels. */
  static final class Labels implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of(ModelChoice.values()).stream().map(ModelChoice::label).iterator();
    }
  }
}
