package dev.unroll.processor.math;

import java.util.List;

/**
 * One step of a cell's math: the equation as a reader knows it, and the statements that compute it.
 * The generator renders the equation as a comment directly above the statements, so the two cannot
 * drift apart. Statements name only locals the generator binds (see {@link CellMath}).
 *
 * <p>Inside an element phase an equation is either per unit (its statements run inside the loop over
 * {@code k}, one unit at a time) or per row (its statements are whole-run calls such as
 * {@code act.sigmoid(a, 0, 2 * HIDDEN)}, run once per batch row between unit loops). Activations are
 * per row: a loop over one array range with nothing else in it is what the JIT vectorises.
 *
 * @param equation   the comment, e.g. {@code c_t = f ⊙ c_{t-1} + i ⊙ g}
 * @param statements Java statements, each ending with a semicolon
 * @param perRow     whether the statements cover a whole row rather than unit {@code k}
 */
public record Equation(String equation, List<String> statements, boolean perRow) {
  public Equation {
    statements = List.copyOf(statements);
  }

  /** An equation and its statements, per unit {@code k} inside an element phase. */
  public static Equation of(String equation, String... statements) {
    return new Equation(equation, List.of(statements), false);
  }

  /** An equation whose statements each cover a whole row ({@code act.…} calls on a run of units). */
  public static Equation row(String equation, String... statements) {
    return new Equation(equation, List.of(statements), true);
  }
}
