package dev.unroll.processor.math;

import java.util.List;

/**
 * One step of a cell's math: the equation as a reader knows it, and the statements that compute it.
 * The generator renders the equation as a comment directly above the statements, so the two cannot
 * drift apart. Statements name only locals the generator binds (see {@link CellMath}).
 *
 * @param equation   the comment, e.g. {@code c_t = f ⊙ c_{t-1} + i ⊙ g}
 * @param statements Java statements, each ending with a semicolon
 */
public record Equation(String equation, List<String> statements) {
  public Equation {
    statements = List.copyOf(statements);
  }

  /** An equation and its statements. */
  public static Equation of(String equation, String... statements) {
    return new Equation(equation, List.of(statements));
  }
}
