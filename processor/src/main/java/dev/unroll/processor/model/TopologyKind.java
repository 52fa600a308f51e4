package dev.unroll.processor.model;

/** How outputs are read from the recurrent stack. */
public enum TopologyKind {
  MANY_TO_ONE,
  MANY_TO_MANY
}
