package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import dev.unroll.processor.model.UnrollPlan;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes out time as the {@code @Unroll} plan says: a plain loop, a loop of {@code factor} written-out
 * steps plus a written-out remainder, or every step written out. Written-out steps are split into
 * methods of at most {@link #BLOCK} calls so that no method outgrows HotSpot's 8,000-byte JIT limit.
 */
final class TimeLoops {
  /** Calls per written-out method: a call is at most 7 bytes of bytecode, so a block stays under 2 KB. */
  static final int BLOCK = 256;

  private final UnrollPlan plan;
  private final String steps;
  private TypeName holder;
  private final List<MethodSpec> blockMethods = new ArrayList<>();

  /**
   * Loops over {@code steps}, the variable holding the number of steps, as {@code plan} says; the
   * steps they call take the layer {@code l} before {@code t}.
   */
  TimeLoops(UnrollPlan plan, String steps) {
    this.plan = plan;
    this.steps = steps;
  }

  /** The class of the layer the steps take (set by the stack). */
  void holder(TypeName holder) {
    this.holder = holder;
  }

  /** Methods created for blocks of written-out steps, to add to the class. */
  List<MethodSpec> blockMethods() {
    return blockMethods;
  }

  /** Calls {@code step(l, t)} for every step, ascending ({@code t = 0, 1, ...}) or descending. */
  CodeBlock calls(String step, boolean ascending) {
    return calls(step, ascending, "0");
  }

  /**
   * Calls {@code step(l, t)} for every step from the last down to {@code stop} (an expression), for a
   * truncated backward pass. A fully written-out plan has no variable bound: {@code stop} must be "0".
   */
  CodeBlock descendingTo(String step, String stop) {
    return calls(step, false, stop);
  }

  private CodeBlock calls(String step, boolean ascending, String stop) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (plan instanceof UnrollPlan.Loop) {
      if (ascending) {
        code.beginControlFlow("for (int t = 0; t < $L; t++)", steps);
      } else {
        code.beginControlFlow("for (int t = $L - 1; t >= $L; t--)", steps, stop);
      }
      code.addStatement("$N(l, t)", step);
      code.endControlFlow();
    } else if (plan instanceof UnrollPlan.Factor factor) {
      int k = factor.factor();
      if (ascending) {
        code.addStatement("int t = 0");
        code.beginControlFlow("for (; t + UNROLL_FACTOR <= $L; t += UNROLL_FACTOR)", steps);
        for (int j = 0; j < k; j++) {
          code.addStatement("$N(l, $L)", step, j == 0 ? "t" : "t + " + j);
        }
        code.endControlFlow();
        code.add("// the remaining steps, fewer than UNROLL_FACTOR, written out\n");
        for (int j = 0; j < k - 1; j++) {
          code.beginControlFlow("if (t < $L)", steps).addStatement("$N(l, t++)", step).endControlFlow();
        }
      } else {
        code.addStatement("int t = $L - 1", steps);
        code.beginControlFlow("for (; t - UNROLL_FACTOR + 1 >= $L; t -= UNROLL_FACTOR)", stop);
        for (int j = 0; j < k; j++) {
          code.addStatement("$N(l, $L)", step, j == 0 ? "t" : "t - " + j);
        }
        code.endControlFlow();
        code.add("// the remaining steps, fewer than UNROLL_FACTOR, written out\n");
        for (int j = 0; j < k - 1; j++) {
          code.beginControlFlow("if (t >= $L)", stop).addStatement("$N(l, t--)", step).endControlFlow();
        }
      }
    } else {
      int count = ((UnrollPlan.Full) plan).steps();
      List<Integer> order = new ArrayList<>();
      for (int t = 0; t < count; t++) {
        order.add(ascending ? t : count - 1 - t);
      }
      if (count <= BLOCK) {
        order.forEach(t -> code.addStatement("$N(l, $L)", step, t));
      } else {
        for (int from = 0; from < count; from += BLOCK) {
          List<Integer> block = order.subList(from, Math.min(count, from + BLOCK));
          String name = step + "s" + block.get(0) + "To" + block.get(block.size() - 1);
          MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE).addParameter(holder, "l")
              .addJavadoc("Steps $L to $L of {@link #$N}, written out.\n", block.get(0), block.get(block.size() - 1), step);
          block.forEach(t -> m.addStatement("$N(l, $L)", step, t));
          blockMethods.add(m.build());
          code.addStatement("$N(l)", name);
        }
      }
    }
    return code.build();
  }
}
