package dev.unroll.processor.model;

/** How outputs are read from the recurrent stack. */
public enum TopologyKind {
  MANY_TO_ONE,
  MANY_TO_MANY,
  /** A sequence generated from a condition vector ({@link SequenceSpec}). */
  ONE_TO_MANY,
  /** A sequence generated from an encoded sequence ({@link SequenceSpec}). */
  SEQ2SEQ
}
