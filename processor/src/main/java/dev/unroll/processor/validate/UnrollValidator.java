package dev.unroll.processor.validate;

import static dev.unroll.processor.validate.AnnotationReader.UNROLL;

import dev.unroll.processor.model.UnrollPlan;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.lang.model.element.TypeElement;

/** {@code @Unroll}: exactly one of steps and factor, each in range, and full unrolling within budget. */
public final class UnrollValidator {

  /**
   * The most step calls a full unroll may write out: steps × layers × directions.
   *
   * <p>Derived from bytecode size: each written-out step is a call of about 7 bytes (load, index,
   * invoke) in forward and again in backward, and the generator splits written-out steps into methods
   * of at most 256 steps each, so that every method stays under HotSpot's 8,000-byte limit for JIT
   * compilation ({@code -XX:-DontCompileHugeMethods}). 4096 calls make 16 such methods per pass, about
   * 28 KB of bytecode per pass, well inside the class file's limits. To be re-measured against the
   * final generator.
   */
  public static final int MAX_WRITTEN_OUT_STEPS = 4096;

  /**
   * The largest {@code factor}: a loop body of 64 written-out step calls is about 450 bytes of bytecode,
   * and larger bodies gain nothing measurable over the call overhead they remove.
   */
  public static final int MAX_FACTOR = 64;

  /** The plan ({@code Loop} without {@code @Unroll}), or empty after an error. */
  Optional<UnrollPlan> validate(TypeElement type, List<DslAnnotation> annotations,
      Optional<CellValidator.Stack> stack, Diagnostics diagnostics) {
    List<DslAnnotation> unrolls = DslAnnotation.named(annotations, UNROLL);
    if (unrolls.isEmpty()) {
      return Optional.of(new UnrollPlan.Loop());
    }
    DslAnnotation unroll = unrolls.get(0);
    boolean stepsSet = unroll.isSet("steps");
    boolean factorSet = unroll.isSet("factor");
    OptionalInt steps = unroll.intValue("steps");
    OptionalInt factor = unroll.intValue("factor");
    if (steps.isEmpty() || factor.isEmpty()) {
      return Optional.empty(); // javac reports the broken value
    }
    if (!stepsSet && !factorSet) {
      diagnostics.onMirror(Message.UNROLL_UNSET, type, unroll.mirror());
      return Optional.empty();
    }
    if (stepsSet && factorSet) {
      diagnostics.onMirror(Message.UNROLL_BOTH, type, unroll.mirror(), steps.getAsInt(), factor.getAsInt());
      return Optional.empty();
    }
    if (factorSet) {
      int k = factor.getAsInt();
      if (k < 2 || k > MAX_FACTOR) {
        unroll.report(diagnostics, Message.UNROLL_FACTOR, type, "factor", k);
        return Optional.empty();
      }
      return Optional.of(new UnrollPlan.Factor(k));
    }
    int t = steps.getAsInt();
    if (t < 1) {
      unroll.report(diagnostics, Message.UNROLL_STEPS, type, "steps", t);
      return Optional.empty();
    }
    if (stack.isPresent()) {
      int layers = stack.get().layers();
      int directions = stack.get().directions();
      long written = (long) t * layers * directions;
      if (written > MAX_WRITTEN_OUT_STEPS) {
        unroll.report(diagnostics, Message.UNROLL_BUDGET, type, "steps", t, written,
            plural(layers, "layer"), plural(directions, "direction"), MAX_WRITTEN_OUT_STEPS,
            Math.max(1, MAX_WRITTEN_OUT_STEPS / ((long) layers * directions)));
        return Optional.empty();
      }
    }
    return Optional.of(new UnrollPlan.Full(t));
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
