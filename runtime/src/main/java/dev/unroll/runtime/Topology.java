package dev.unroll.runtime;

/** How a generated model maps an input sequence to outputs. */
public enum Topology {
  /** One output per sequence, {@code logits [B, out]}. */
  MANY_TO_ONE,
  /** One output per step, {@code logits [B, T, out]}. */
  MANY_TO_MANY
}
