package dev.unroll.processor.math;

/**
 * A work buffer a cell needs beyond the ones every cell has.
 *
 * @param name   the local name the cell's statements use
 * @param blocks width in units of the hidden size
 * @param scope  whether it holds one row block per step (kept for the backward pass) or is scratch
 * @param doc    a phrase for the field's Javadoc
 */
public record Buffer(String name, int blocks, Scope scope, String doc) {

  /** How long a buffer's contents live. */
  public enum Scope {
    /** {@code [T·B, blocks·H]}: one {@code [B, blocks·H]} row block per step, written forward, read backward. */
    STEP,
    /** {@code [B, blocks·H]}: reused at every step. */
    SCRATCH
  }
}
