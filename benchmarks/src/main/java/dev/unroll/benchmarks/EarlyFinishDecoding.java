package dev.unroll.benchmarks;

import dev.unroll.dsl.Condition;
import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.OneToMany;
import dev.unroll.dsl.Output;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.generation.Decoded;
import dev.unroll.runtime.generation.DecoderSession;
import dev.unroll.runtime.generation.Decoding;
import dev.unroll.runtime.generation.SequenceGenerator;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Greedy decoding of a batch of 64 rows where most rows finish early, side by side: the rows that
 * finished leave the session ({@code Decoding} as it is) against every row stepped until the longest
 * has finished (what {@code Decoding} did before: a session that keeps its finished rows, fed END,
 * emulated here by a wrapper that never lets a row leave). Both give the same tokens, which the run
 * checks. The model is untrained; END's output weights are amplified and its bias raised until half
 * the rows end within 8 steps while an eighth run 16 steps or more. Median milliseconds per decode
 * over the repetitions.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.unroll.benchmarks.EarlyFinishDecoding [reps]
 * </pre>
 */
public final class EarlyFinishDecoding {

  /** A captioner-sized decoder: two LSTM layers of 256 units over a 1,000-token vocabulary. */
  @OneToMany(start = 1, end = 2, maxSteps = 64)
  @Lstm(hidden = 256, layers = 2) @Condition(32) @Embedding(vocab = 1000, dim = 64) @Output(1000)
  public interface Captioner {}

  private static final int BATCH = 64;
  private static final int END = 2;

  private EarlyFinishDecoding() {}

  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    UnrolledEarlyFinishDecoding_Captioner model = new UnrolledEarlyFinishDecoding_Captioner(7);
    Nd4j.getRandom().setSeed(3);
    INDArray condition = Nd4j.rand(DataType.FLOAT, BATCH, 32).subi(0.5).muli(4);
    // END's logit made to vary from row to row (its output weights amplified), then its bias raised
    // step by step until most rows end early while some run long
    model.parameters().get("fc.weight").getRow(END).muli(40);
    INDArray endBias = model.parameters().get("fc.bias");
    float original = endBias.getFloat(END);
    Decoded chosen = null;
    for (double raise = -4; raise <= 8; raise += 0.25) {
      endBias.putScalar(END, original + raise);
      chosen = Decoding.greedy(model, model.initialState(condition));
      int[] lengths = lengths(chosen);
      if (lengths[BATCH / 2] <= 8 && lengths[BATCH * 7 / 8] >= 16) {
        System.out.printf("END bias raised by %.2f%n", raise);
        break;
      }
    }
    int[] lengths = lengths(chosen);
    long stepped = Arrays.stream(lengths).sum();
    System.out.printf("row lengths (tokens with END): min %d, median %d, 90th %d, max %d; rows stepped %d "
        + "(dropping finished rows) vs %d (stepping all)%n", lengths[0], lengths[BATCH / 2],
        lengths[BATCH * 9 / 10], lengths[BATCH - 1], stepped, (long) BATCH * lengths[BATCH - 1]);

    SequenceGenerator<UnrolledEarlyFinishDecoding_Captioner.State> keepingAll = keepingAllRows(model);
    Decoded before = Decoding.greedy(keepingAll, model.initialState(condition));
    if (!Arrays.deepEquals(before.tokens(), chosen.tokens())) {
      throw new AssertionError("stepping every row decoded other tokens");
    }
    double[] all = new double[reps];
    double[] dropping = new double[reps];
    for (int i = -3; i < reps; i++) { // three rounds of warm-up
      UnrolledEarlyFinishDecoding_Captioner.State state = model.initialState(condition);
      long t0 = System.nanoTime();
      Decoding.greedy(keepingAll, state);
      long t1 = System.nanoTime();
      Decoding.greedy(model, state);
      long t2 = System.nanoTime();
      if (i >= 0) {
        all[i] = (t1 - t0) / 1e6;
        dropping[i] = (t2 - t1) / 1e6;
      }
    }
    double a = median(all);
    double d = median(dropping);
    System.out.printf("greedy, batch %d, median of %d: stepping every row %.1f ms, dropping finished rows "
        + "%.1f ms (%.2fx)%n", BATCH, reps, a, d, a / d);
  }

  /** Sorted per-row lengths. */
  private static int[] lengths(Decoded decoded) {
    return Arrays.stream(decoded.tokens()).mapToInt(t -> t.length).sorted().toArray();
  }

  private static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /**
   * The model with sessions that never let a row go: a {@code select} with fewer rows keeps them at
   * the front and the rest stepped (fed END, logits ignored), as decoding did before rows could leave.
   */
  @SuppressWarnings("unchecked")
  static <S extends RecurrentState> SequenceGenerator<S> keepingAllRows(SequenceGenerator<S> model) {
    return (SequenceGenerator<S>) Proxy.newProxyInstance(EarlyFinishDecoding.class.getClassLoader(),
        new Class<?>[] {SequenceGenerator.class}, (proxy, method, arguments) -> {
          if (method.getName().equals("session")) {
            return new KeepingAll(model.session((S) arguments[0], (Integer) arguments[1]), model.endToken());
          }
          try {
            return method.invoke(model, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** A session whose rows never leave: it reports the rows still wanted and steps all of them. */
  private static final class KeepingAll implements DecoderSession {
    private final DecoderSession inner;
    private final int end;
    private final int[] tokens;
    private int rows;

    KeepingAll(DecoderSession inner, int end) {
      this.inner = inner;
      this.end = end;
      this.rows = inner.rows();
      this.tokens = new int[rows];
    }

    @Override
    public int rows() {
      return rows;
    }

    @Override
    public INDArray step(int[] wanted) {
      System.arraycopy(wanted, 0, tokens, 0, rows);
      Arrays.fill(tokens, rows, tokens.length, end);
      INDArray logits = inner.step(tokens);
      return rows == tokens.length ? logits : logits.get(
          org.nd4j.linalg.indexing.NDArrayIndex.interval(0, rows), org.nd4j.linalg.indexing.NDArrayIndex.all());
    }

    @Override
    public void select(int[] from) {
      int[] full = new int[tokens.length];
      System.arraycopy(from, 0, full, 0, from.length);
      for (int r = from.length; r < full.length; r++) {
        full[r] = r; // the rows that would have left stay, fed END
      }
      inner.select(full);
      rows = from.length;
    }
  }
}
