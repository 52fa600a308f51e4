package dev.unroll.processor.model;

/** How the generated code writes out time. */
public sealed interface UnrollPlan {

  /** A plain loop over time, one step per iteration (no {@code @Unroll}). */
  record Loop() implements UnrollPlan {}

  /** Every step of a fixed length written out ({@code @Unroll(steps = T)}). */
  record Full(int steps) implements UnrollPlan {
    public Full {
      assert steps > 0;
    }
  }

  /** A loop with {@code factor} written-out steps per iteration and a written-out remainder. */
  record Factor(int factor) implements UnrollPlan {
    public Factor {
      assert factor >= 2;
    }
  }
}
