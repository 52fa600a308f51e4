package dev.unroll.training.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch for a one-to-many model, ready for {@code OneToManyModel.gradients(condition, tgtIn, y)}.
 *
 * @param condition float {@code [B, conditionSize]}, in the model's data type
 * @param tgtIn int64 {@code [B, T]}: START, then the target tokens (teacher forcing), then padding
 * @param y int64 {@code [B, T]}: the target tokens, then END, then -100 (ignored)
 */
public record OneToManyBatch(INDArray condition, INDArray tgtIn, INDArray y) implements TrainingBatch {

  @Override
  public int size() {
    return (int) condition.size(0);
  }
}
