package dev.unroll.runtime;

/** How a generated model maps an input sequence to outputs. */
public enum Topology {
  /** One output per sequence, {@code logits [B, out]}. */
  MANY_TO_ONE,
  /** One output per step, {@code logits [B, T, out]}. */
  MANY_TO_MANY,
  /** A sequence from one vector (captioning): the condition sets the initial state, {@code logits [B, T, vocab]}. */
  ONE_TO_MANY,
  /** A sequence from a sequence (translation): an encoder's final state starts a decoder, {@code logits [B, T, vocab]}. */
  SEQ2SEQ
}
