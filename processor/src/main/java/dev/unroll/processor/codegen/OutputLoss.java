package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import dev.unroll.processor.model.ReaderSpec;
import dev.unroll.processor.model.TopologyKind;
import java.util.Optional;

/**
 * Everything about a classifier or tagger's output layer that depends on its loss, in one place:
 * the names of the output buffer and its gradient, the targets' check and the loss statement, and
 * the words of the Javadoc. Cross-entropy: the outputs are logits and the targets class ids;
 * {@code MSE}: the outputs are the predictions themselves (no softmax) and the targets floats.
 */
final class OutputLoss {
  private final boolean regression;
  private final boolean manyToOne;

  OutputLoss(ReaderSpec spec) {
    this.regression = spec.regression();
    this.manyToOne = spec.topology() == TopologyKind.MANY_TO_ONE;
  }

  /** Whether the loss is mean squared error. */
  boolean regression() {
    return regression;
  }

  /** The output layer's output buffer: {@code logits}, or {@code predictions}. */
  String values() {
    return regression ? "predictions" : "logits";
  }

  /** Its gradient buffer: {@code dLogits}, or {@code dPredictions}. */
  String gradient() {
    return regression ? "dPredictions" : "dLogits";
  }

  /** {@code Logits}, {@code Predictions}: the first word of {@code forward}'s Javadoc. */
  String valuesWord() {
    return regression ? "Predictions" : "Logits";
  }

  /** The words for {@code OUTPUT}'s Javadoc. */
  String outputDoc() {
    return regression ? "Values predicted per " + (manyToOne ? "sequence." : "step.") : "Classes of the output layer.";
  }

  /** The words for {@code y} in the Javadoc: what the targets are. */
  String targetsDoc() {
    if (regression) {
      return manyToOne ? "floats [B, OUTPUT]" : "floats [B, T, OUTPUT] (padded steps: left out by the mask)";
    }
    return manyToOne ? "class ids [B]" : "class ids [B, T] (-100: ignore)";
  }

  /** The loss in the Javadoc of {@code gradients}. */
  String lossDoc() {
    return regression ? "Mean squared error" : "Mean cross-entropy";
  }

  /** Checks {@code y} and binds {@code targets}, time-major for many-to-many. */
  CodeBlock targets() {
    if (regression) {
      return manyToOne
          ? CodeBlock.of("double[] targets = $T.valueTargets(y, batch, OUTPUT);\n", Names.INPUTS)
          : CodeBlock.of("double[] targets = $T.stepValuesTimeMajor(y, batch, steps, OUTPUT);\n", Names.INPUTS);
    }
    return manyToOne
        ? CodeBlock.of("long[] targets = $T.classTargets(y, batch, OUTPUT);\n", Names.INPUTS)
        : CodeBlock.of("long[] targets = $T.stepTargetsTimeMajor(y, batch, steps, OUTPUT);\n", Names.INPUTS);
  }

  /** Binds {@code loss} and fills the gradient buffer, from the outputs and {@code targets}. */
  CodeBlock loss() {
    if (!regression) {
      return CodeBlock.of("double loss = $T.lossAndGradient(logits, targets, dLogits);\n", Names.CROSS_ENTROPY);
    }
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// L = mean over counted elements of (ŷ − y)²,   ∂L/∂ŷ = 2 (ŷ − y) / counted elements\n");
    if (manyToOne) {
      code.add("// every row counts: its prediction is read at its last valid step\n")
          .addStatement("double loss = $T.lossAndGradient(predictions, targets, null, dPredictions)",
              Names.MEAN_SQUARED_ERROR);
    } else {
      code.add("// a padded step is not counted: the mask decides, not the target's value\n")
          .addStatement("double loss = $T.lossAndGradient(predictions, targets, masked ? maskSeq : null, dPredictions)",
              Names.MEAN_SQUARED_ERROR);
    }
    return code.build();
  }

  /** {@code CONFIG}'s loss argument: {@code LossType.MSE} for a regression model, none for cross-entropy. */
  Optional<CodeBlock> configArgument() {
    return regression ? Optional.of(CodeBlock.of("$T.MSE", Names.LOSS_TYPE)) : Optional.empty();
  }
}
