package dev.unroll.processor.model;

import javax.lang.model.element.TypeElement;

/**
 * What validation makes of one annotated interface, and what a class is generated from: a model
 * that reads sequences into outputs ({@link ReaderSpec}: many-to-one, many-to-many), or one that
 * writes token sequences ({@link SequenceSpec}: one-to-many, seq2seq). Each kind has its own
 * generator; the sealed hierarchy lets the processor choose without a flag.
 */
public sealed interface Spec permits ReaderSpec, SequenceSpec {
  /** The annotated interface; kept for the Filer only (may be null in tests). */
  TypeElement origin();

  /** The interface's package, {@code ""} for the unnamed package. */
  String packageName();

  /** The interface's name relative to its package, {@code Outer.Inner}. */
  String interfaceName();

  /** {@code Unrolled<Name>}, with a nested interface's dots as underscores. */
  String generatedSimpleName();
}
