package dev.unroll.runtime.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.StatefulModel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A generation model whose "state" is a kind per row ({@code [B, 1]}) and whose session remembers the
 * tokens fed to each row, so that a wrong {@code select} gives wrong logits. Counts steps, and fails
 * when stepped past {@code maxSteps}.
 */
final class FakeGenerator implements SequenceGenerator<FakeGenerator.State> {
  static final int START = 0;
  static final int END = 1;
  static final int A = 2;
  static final int B = 3;
  static final int X = 4;
  static final int Y = 5;

  /** Logits for the next token of a row of kind {@code kind} that has been fed {@code fed} (START first). */
  interface Table {
    double[] logits(int kind, int[] fed);
  }

  record State(INDArray kinds) implements RecurrentState {
    @Override
    public List<INDArray> arrays() {
      return List.of(kinds);
    }
  }

  final int vocabulary;
  final int maxSteps;
  final Table table;
  DataType logitsType = DataType.FLOAT;
  char order = 'c';
  int steps;
  /** Rows stepped, summed over the steps. */
  int rowsStepped;
  int selects;
  Session last;

  FakeGenerator(int vocabulary, int maxSteps, Table table) {
    this.vocabulary = vocabulary;
    this.maxSteps = maxSteps;
    this.table = table;
  }

  static State state(int... kinds) {
    float[][] k = new float[kinds.length][1];
    for (int r = 0; r < kinds.length; r++) {
      k[r][0] = kinds[r];
    }
    return new State(Nd4j.createFromArray(k));
  }

  @Override
  public int startToken() {
    return START;
  }

  @Override
  public int endToken() {
    return END;
  }

  @Override
  public int maxSteps() {
    return maxSteps;
  }

  @Override
  public int vocabulary() {
    return vocabulary;
  }

  @Override
  public StatefulModel.Step<State> step(INDArray tokens, State state) {
    throw new UnsupportedOperationException();
  }

  @Override
  public DecoderSession session(State state, int copies) {
    int batch = (int) state.batch();
    int[] kind = new int[batch * copies];
    for (int r = 0; r < batch; r++) {
      for (int j = 0; j < copies; j++) {
        kind[r * copies + j] = (int) state.kinds().getDouble(r, 0);
      }
    }
    last = new Session(kind, copies);
    return last;
  }

  @Override
  public Map<String, INDArray> parameters() {
    return Map.of();
  }

  @Override
  public DataType dataType() {
    return DataType.FLOAT;
  }

  @Override
  public ModelConfig config() {
    throw new UnsupportedOperationException();
  }

  @Override
  public SequenceGenerator<State> replica() {
    throw new UnsupportedOperationException();
  }

  final class Session implements DecoderSession {
    int[] kind;
    final int copies;
    int[][] fed;
    /** Per session row, the caller's row whose hypotheses it holds. */
    int[] origin;
    /** Per caller's row, the tokens fed to (the last stepped copy of) it. */
    final int[][] fedByOrigin;
    int count;
    INDArray logits;

    Session(int[] kind, int copies) {
      this.kind = kind;
      this.copies = copies;
      this.fed = new int[kind.length][maxSteps];
      this.origin = new int[kind.length];
      for (int i = 0; i < kind.length; i++) {
        origin[i] = i / copies;
      }
      this.fedByOrigin = new int[kind.length / copies][0];
      this.logits = Nd4j.create(logitsType, new long[] {kind.length, vocabulary}, order);
    }

    @Override
    public int rows() {
      return kind.length;
    }

    @Override
    public INDArray step(int[] tokens) {
      if (count == maxSteps) {
        throw new AssertionError("step " + (count + 1) + " is past maxSteps " + maxSteps);
      }
      assertEquals(kind.length, tokens.length, "tokens per step");
      steps++;
      rowsStepped += kind.length;
      for (int r = 0; r < kind.length; r++) {
        if (tokens[r] < 0 || tokens[r] >= vocabulary) {
          throw new IllegalArgumentException("token " + tokens[r]);
        }
        fed[r][count] = tokens[r];
      }
      count++;
      for (int r = 0; r < kind.length; r++) {
        fedByOrigin[origin[r]] = fed(r);
        double[] l = table.logits(kind[r], fed(r));
        for (int v = 0; v < vocabulary; v++) {
          logits.putScalar(r, v, l[v]);
        }
      }
      return logits;
    }

    /** The tokens fed to row {@code r} so far. */
    int[] fed(int r) {
      return Arrays.copyOf(fed[r], count);
    }

    @Override
    public void select(int[] from) {
      assertTrue(from.length >= 1 && from.length <= kind.length, "select length " + from.length);
      assertEquals(0, from.length % copies, "select keeps whole groups of copies");
      selects++;
      int[][] f = new int[from.length][];
      int[] k = new int[from.length];
      int[] o = new int[from.length];
      for (int i = 0; i < from.length; i++) {
        if (origin[from[i]] != origin[from[i - i % copies]]) {
          throw new AssertionError("select mixes the copies of two batch rows in row " + i);
        }
        f[i] = fed[from[i]].clone();
        k[i] = kind[from[i]];
        o[i] = origin[from[i]];
      }
      if (from.length < kind.length) {
        logits = Nd4j.create(logitsType, new long[] {from.length, vocabulary}, order);
      }
      fed = f;
      kind = k;
      origin = o;
    }
  }

  /** Kind k writes sequences[k] (3 against 0 for the other tokens), then END. */
  static Table script(int vocabulary, int[]... sequences) {
    return (kind, fed) -> {
      int t = fed.length - 1;
      int[] s = sequences[kind];
      double[] l = new double[vocabulary];
      l[t < s.length ? s[t] : END] = 3;
      return l;
    };
  }

  /** Logits log(p) from a distribution per history; tokens the distribution leaves out get logit -30. */
  static Table probabilities(int vocabulary, Function<int[], double[]> distribution) {
    return (kind, fed) -> {
      double[] p = distribution.apply(fed);
      double[] l = new double[vocabulary];
      for (int v = 0; v < vocabulary; v++) {
        l[v] = p[v] > 0 ? Math.log(p[v]) : -30;
      }
      return l;
    };
  }

  /** Pseudo-random logits, a function of (kind, history); END gets likelier with every step. */
  static Table random(int vocabulary, long seed) {
    return (kind, fed) -> {
      SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + 31L * Arrays.hashCode(fed) + kind);
      double[] l = new double[vocabulary];
      for (int v = 0; v < vocabulary; v++) {
        l[v] = 1.5 * rng.nextGaussian();
      }
      l[END] += 0.5 * fed.length - 1.5;
      return l;
    };
  }

  static double[] p(int vocabulary, int... tokensAndPercent) {
    double[] p = new double[vocabulary];
    for (int i = 0; i < tokensAndPercent.length; i += 2) {
      p[tokensAndPercent[i]] = tokensAndPercent[i + 1] / 100.0;
    }
    return p;
  }

  static double logSumExp(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : x) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  /** The model's log-probability of {@code tokens} for a row of kind {@code kind}, as a FLOAT model computes it. */
  static double logProbability(Table table, int kind, int[] tokens) {
    int[] fed = {START};
    double lp = 0;
    for (int token : tokens) {
      double[] l = table.logits(kind, fed);
      for (int v = 0; v < l.length; v++) {
        l[v] = (float) l[v];
      }
      lp += l[token] - logSumExp(l);
      fed = Arrays.copyOf(fed, fed.length + 1);
      fed[fed.length - 1] = token;
    }
    return lp;
  }
}
