package dev.unroll.training.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch for an encoder-decoder model, ready for
 * {@code Seq2SeqModel.gradients(src, srcMask, tgtIn, y)}.
 *
 * @param src int64 source tokens {@code [B, S]}, padded at the end
 * @param srcMask {@code [B, S]} 1 at valid source tokens, or null when every token is valid
 * @param tgtIn int64 {@code [B, T]}: START, then the target tokens (teacher forcing), then padding
 * @param y int64 {@code [B, T]}: the target tokens, then END, then -100 (ignored)
 */
public record Seq2SeqBatch(INDArray src, INDArray srcMask, INDArray tgtIn, INDArray y)
    implements TrainingBatch {

  @Override
  public int size() {
    return (int) src.size(0);
  }
}
