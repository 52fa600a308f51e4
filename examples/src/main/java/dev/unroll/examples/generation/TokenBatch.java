package dev.unroll.examples.generation;

import dev.unroll.training.data.OneToManyBatch;
import dev.unroll.training.data.Seq2SeqBatch;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arrays a generation model trains on, built from token sequences of different lengths.
 *
 * <p>Targets (no START, no END in the input lists): {@code tgtIn} is START, then the tokens, then PAD
 * ({@link WordVocabulary#PAD}); {@code y} is the tokens, then END, then {@link #IGNORE}; both
 * int64 {@code [B, T]} with {@code T} the longest target plus one. Sources: int64 {@code [B, S]} padded
 * with PAD at the end and a mask {@code [B, S]} with 1 at the valid tokens.
 */
public final class TokenBatch {

  /** The label of a step the loss does not count (PyTorch's {@code ignore_index}). */
  public static final long IGNORE = -100;

  private TokenBatch() {}

  /** Teacher-forcing input and labels of a batch of targets. */
  public record Targets(INDArray tgtIn, INDArray y) {}

  /** A padded source batch and its mask. */
  public record Sources(INDArray src, INDArray mask) {}

  /** {@code tgtIn} and {@code y} of {@code targets} (each without START and END). */
  public static Targets targets(List<int[]> targets) {
    int b = targets.size();
    int t = 1;
    for (int[] s : targets) {
      t = Math.max(t, s.length + 1);
    }
    long[][] in = new long[b][t];
    long[][] y = new long[b][t];
    for (int r = 0; r < b; r++) {
      int[] s = targets.get(r);
      in[r][0] = WordVocabulary.START;
      for (int i = 0; i < s.length; i++) {
        in[r][i + 1] = s[i];
        y[r][i] = s[i];
      }
      y[r][s.length] = WordVocabulary.END;
      for (int i = s.length + 1; i < t; i++) {
        y[r][i] = IGNORE;
      }
      // in[r][i] beyond the target stays PAD (0)
    }
    return new Targets(Nd4j.createFromArray(in), Nd4j.createFromArray(y));
  }

  /** The padded {@code sources} (each at least one token) and their mask in {@code maskType}. */
  public static Sources sources(List<int[]> sources, DataType maskType) {
    int b = sources.size();
    int s = 1;
    for (int[] src : sources) {
      if (src.length == 0) {
        throw new IllegalArgumentException("a source needs at least one token");
      }
      s = Math.max(s, src.length);
    }
    long[][] x = new long[b][s];
    float[][] m = new float[b][s];
    for (int r = 0; r < b; r++) {
      int[] src = sources.get(r);
      for (int i = 0; i < src.length; i++) {
        x[r][i] = src[i];
        m[r][i] = 1;
      }
    }
    return new Sources(Nd4j.createFromArray(x), Nd4j.createFromArray(m).castTo(maskType));
  }

  /** A one-to-many model's training batch: {@code conditions} in {@code type}, then the targets. */
  public static OneToManyBatch oneToMany(List<float[]> conditions, List<int[]> targets, DataType type) {
    Targets t = targets(targets);
    return new OneToManyBatch(matrix(conditions, type), t.tgtIn(), t.y());
  }

  /** An encoder-decoder's training batch: the padded sources (mask in {@code type}), then the targets. */
  public static Seq2SeqBatch seq2seq(List<int[]> sources, List<int[]> targets, DataType type) {
    Sources s = sources(sources, type);
    Targets t = targets(targets);
    return new Seq2SeqBatch(s.src(), s.mask(), t.tgtIn(), t.y());
  }

  /** The rows of a float matrix {@code [B, n]} in {@code type}. */
  public static INDArray matrix(List<float[]> rows, DataType type) {
    return Nd4j.createFromArray(rows.toArray(new float[0][])).castTo(type);
  }
}
