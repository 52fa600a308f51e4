package dev.unroll.testing;

import static dev.unroll.testing.Models.distance;
import static dev.unroll.testing.Models.flat;
import static dev.unroll.testing.Models.norm;
import static dev.unroll.testing.Models.subscripts;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.ModelConfig.CellType;
import dev.unroll.runtime.Npz;
import dev.unroll.runtime.UnrolledModel;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checks a generated model's backpropagation through time against central differences in float64:
 * for every parameter array, a sample of its entries is perturbed in place by ±ε, the loss L is
 * read back, and the difference quotients (L(θ + ε) − L(θ − ε)) / 2ε must agree with the
 * analytic gradients of {@code gradients(...)} by the {@link Rule}. L is the mean cross-entropy of a
 * forward pass ({@link Batch#loss}), which must equal the loss {@code gradients(...)} reports at the
 * unperturbed parameters; with dropout, L is the loss of {@code gradients(...)} itself, its masks
 * restarted from {@link #seed} before every pass so that L is a deterministic function of θ.
 *
 * <pre>{@code
 * var model = new UnrolledTagger(42, DataType.DOUBLE);
 * GradientCheck.of(model).batch(3).steps(5).ragged(true).assertPasses();
 * }</pre>
 *
 * <p>Works for every kind of generated model (classifier, tagger, one-to-many, seq2seq; masks through
 * {@link #ragged}, or your own inputs through {@link #inputs}). The cost is {@code 2 × samples}
 * forward passes per parameter array whatever the arrays' sizes, so a model of millions of parameters
 * checks in seconds at a small batch.
 *
 * <p>A float32 model is checked through a float64 twin: a new instance of its generated class (its
 * {@code (long seed, DataType)} constructor) holding the same weights, checked by central
 * differences; then the float32 model's own gradients must match the twin's to a relative error
 * under {@link #float32Tolerance} per array.
 *
 * <p>For a model with ReLU cells, an entry whose difference quotients at ε and 10ε disagree sits on
 * a kink of the ReLU, where no difference quotient means anything: where an array fails, such entries
 * are left out, at most {@link #maxKinks} per array.
 *
 * <p>The model's parameters are perturbed and restored exactly; do not use the model from another
 * thread during the check.
 */
public final class GradientCheck {

  /**
   * When the numeric and analytic gradients of one array's sampled entries agree.
   *
   * @param epsilon   the perturbation ε of the central differences
   * @param tolerance the relative error ‖numeric − analytic‖ / ‖numeric‖ allowed
   * @param noiseUlps units in the last place of the loss allowed as rounding noise per difference
   *     quotient (see {@link #noiseFloor})
   */
  public record Rule(double epsilon, double tolerance, double noiseUlps) {

    /** ε = 1e-6, relative tolerance 1e-6, 32 ulps of rounding noise: what unroll's own tests use. */
    public static final Rule DEFAULT = new Rule(1e-6, 1e-6, 32);

    public Rule {
      if (!(epsilon > 0) || !(tolerance > 0) || !(noiseUlps >= 0)) {
        throw new IllegalArgumentException("epsilon and tolerance must be > 0 and noiseUlps >= 0; got epsilon = "
            + epsilon + ", tolerance = " + tolerance + ", noiseUlps = " + noiseUlps);
      }
    }

    /**
     * The rounding noise of one difference quotient for a loss of this size: {@code noiseUlps} units in
     * the last place of the loss, divided by 2ε (a correct float64 model measured under 5 ulps). With
     * ε = 1e-6 and a loss near 1 that is about 4e-9: it matters only for arrays whose gradients are
     * tiny (‖numeric‖ ≲ 1e-3), where rounding alone gives relative errors of 1e-7 to 1e-6.
     */
    public double noiseFloor(double loss) {
      return noiseUlps * Math.ulp(loss) / (2 * epsilon);
    }

    /**
     * Null when {@code analytic} passes against {@code numeric} at the entries {@code idx} of an array
     * {@code name} of {@code shape}, else what is wrong, naming the array and each entry's values. It
     * passes when ‖numeric − analytic‖ / ‖numeric‖ &lt; tolerance, or ‖numeric − analytic‖ is within
     * the rounding allowance {@code noiseFloor(loss) · √entries}; where the numeric gradient is 0 at
     * every entry, when every analytic value is under 1e-10.
     */
    public String judge(String name, long[] shape, long[][] idx, double[] numeric, double[] analytic, double loss) {
      double n = norm(numeric);
      if (n == 0) {
        double worst = 0;
        for (double a : analytic) {
          worst = Math.max(worst, Math.abs(a));
        }
        return worst < 1e-10
            ? null
            : name + " " + Arrays.toString(shape) + ": numeric gradient is 0 at the sampled entries, analytic up to "
                + worst + entries(idx, numeric, analytic);
      }
      double dist = distance(numeric, analytic);
      double err = dist / n;
      double allowed = noiseFloor(loss) * Math.sqrt(idx.length);
      return err < tolerance || dist <= allowed
          ? null
          : name + " " + Arrays.toString(shape) + ": relative error " + err + " (tolerance " + tolerance
              + "), ‖numeric − analytic‖ = " + dist + " (rounding allowance " + allowed + ")"
              + entries(idx, numeric, analytic);
    }

    /** The worst entry first, then every sampled entry with both values. */
    private static String entries(long[][] idx, double[] numeric, double[] analytic) {
      int worst = 0;
      for (int k = 0; k < idx.length; k++) {
        if (Math.abs(numeric[k] - analytic[k]) > Math.abs(numeric[worst] - analytic[worst])) {
          worst = k;
        }
      }
      StringBuilder sb = new StringBuilder()
          .append("\n    worst entry ").append(Arrays.toString(idx[worst]))
          .append(": analytic ").append(analytic[worst]).append(", numeric ").append(numeric[worst]);
      for (int k = 0; k < idx.length; k++) {
        sb.append("\n      ").append(Arrays.toString(idx[k]))
            .append(" analytic ").append(analytic[k])
            .append(" numeric ").append(numeric[k]);
      }
      return sb.toString();
    }
  }

  /**
   * The check of one parameter array.
   *
   * @param name          the parameter's name
   * @param shape         its shape
   * @param indices       the sampled entries
   * @param numeric       the central differences at those entries
   * @param analytic      the model's gradient at those entries
   * @param relativeError ‖numeric − analytic‖ / ‖numeric‖ (‖analytic‖ where the numeric gradient is 0)
   * @param kinks         entries left out as ReLU kinks
   * @param problem       null when the array passes, else what is wrong
   */
  public record ArrayCheck(String name, long[] shape, long[][] indices, double[] numeric, double[] analytic,
      double relativeError, List<long[]> kinks, String problem) {

    /** Whether the array passed. */
    public boolean passed() {
      return problem == null;
    }

    /** ‖numeric‖ over the sampled entries. */
    public double numericNorm() {
      return norm(numeric);
    }
  }

  /**
   * The outcome of a check.
   *
   * @param model    the checked model's class name
   * @param dataType the checked model's data type
   * @param batch    the inputs the check used
   * @param loss     the loss at the unperturbed parameters (of the float64 model)
   * @param arrays   each parameter array's check, in declaration order
   * @param problems what failed beyond single arrays (gradient names and shapes, float32 against
   *     float64), one line each
   * @param passes   passes run (forward, or forward+backward)
   */
  public record Result(String model, DataType dataType, Batch batch, double loss, List<ArrayCheck> arrays,
      List<String> problems, int passes) {

    /** Whether every array and every other comparison passed. */
    public boolean passed() {
      return problems.isEmpty() && arrays.stream().allMatch(ArrayCheck::passed);
    }

    /** The check of one array by parameter name. */
    public ArrayCheck array(String name) {
      return arrays.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow(
          () -> new IllegalArgumentException("no parameter named '" + name + "' was checked; the parameters are "
              + arrays.stream().map(ArrayCheck::name).toList()));
    }

    /** A readable account: what passed, and every failure with the parameter, entries and values. */
    public String report() {
      long failed = arrays.stream().filter(a -> !a.passed()).count();
      StringBuilder sb = new StringBuilder("GradientCheck of ").append(model).append(" (").append(dataType)
          .append(", ").append(batch.rows()).append(" rows, loss ").append(loss).append("): ");
      if (passed()) {
        sb.append("passed, ").append(arrays.size()).append(" parameter arrays, ")
            .append(arrays.stream().mapToInt(a -> a.indices().length).sum()).append(" entries");
        return sb.toString();
      }
      sb.append("FAILED, ").append(failed).append(" of ").append(arrays.size()).append(" parameter arrays wrong");
      if (!problems.isEmpty()) {
        sb.append(", ").append(problems.size()).append(problems.size() == 1 ? " other problem" : " other problems");
      }
      for (String p : problems) {
        sb.append("\n  ").append(p);
      }
      for (ArrayCheck a : arrays) {
        if (!a.passed()) {
          sb.append("\n  ").append(a.problem());
        }
      }
      return sb.toString();
    }
  }

  private final UnrolledModel model;
  private Batch inputs;
  private int rows = 2;
  private int steps = 5;
  private boolean ragged;
  private long seed = 1;
  private int samples = 12;
  private Rule rule = Rule.DEFAULT;
  private int maxKinks = 2;
  private double float32Tolerance = 1e-4;

  private GradientCheck(UnrolledModel model) {
    this.model = model;
  }

  /**
   * A check of {@code model}: a class generated by unroll ({@link dev.unroll.runtime.RecurrentModel},
   * {@link dev.unroll.runtime.generation.OneToManyModel} or {@link
   * dev.unroll.runtime.generation.Seq2SeqModel}), float32 or float64.
   */
  public static GradientCheck of(UnrolledModel model) {
    Objects.requireNonNull(model, "model");
    return new GradientCheck(Models.requireKnownKind(model));
  }

  /** Rows of the random batch (default 2). */
  public GradientCheck batch(int rows) {
    this.rows = positive("batch", rows);
    return this;
  }

  /** Steps of the random batch (default 5; a seq2seq model gets this many source and target steps). */
  public GradientCheck steps(int steps) {
    this.steps = positive("steps", steps);
    return this;
  }

  /** Whether the random batch has rows of different lengths, with a mask (default false); see {@link Batch#random}. */
  public GradientCheck ragged(boolean ragged) {
    this.ragged = ragged;
    return this;
  }

  /** Your own inputs and targets instead of a random batch. */
  public GradientCheck inputs(Batch batch) {
    this.inputs = Objects.requireNonNull(batch, "batch");
    return this;
  }

  /** The seed of the random batch, of the sampled entries and of the dropout masks (default 1). */
  public GradientCheck seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Entries checked per parameter array; smaller arrays are checked in full (default 12). */
  public GradientCheck samples(int samples) {
    this.samples = positive("samples", samples);
    return this;
  }

  /** The pass rule (default {@link Rule#DEFAULT}). */
  public GradientCheck rule(Rule rule) {
    this.rule = Objects.requireNonNull(rule, "rule");
    return this;
  }

  /** The most entries per array left out as ReLU kinks (default 2; 0 leaves none out). */
  public GradientCheck maxKinks(int maxKinks) {
    if (maxKinks < 0) {
      throw new IllegalArgumentException("maxKinks must be >= 0, got " + maxKinks);
    }
    this.maxKinks = maxKinks;
    return this;
  }

  /** The relative error per array allowed between a float32 model's gradients and its float64 twin's (default 1e-4). */
  public GradientCheck float32Tolerance(double tolerance) {
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("float32Tolerance must be > 0, got " + tolerance);
    }
    this.float32Tolerance = tolerance;
    return this;
  }

  /** Runs the check and throws an {@link AssertionError} with {@link Result#report()} if it fails. */
  public Result assertPasses() {
    Result r = run();
    if (!r.passed()) {
      throw new AssertionError(r.report());
    }
    return r;
  }

  /** Runs the check and returns its outcome, passed or not. */
  public Result run() {
    Batch batch = inputs != null ? inputs : Batch.random(model, rows, steps, ragged, seed);
    UnrolledModel checked = model.dataType() == DataType.DOUBLE ? model : doubleTwin(model);
    Batch batch64 = batch.withInputType(DataType.DOUBLE);
    Counter passes = new Counter();
    Gradients analytic = evaluate(checked, batch64, passes);
    double loss = analytic.loss();
    List<String> problems = new ArrayList<>();
    if (!Double.isFinite(loss)) {
      problems.add("the loss is " + loss + ": the inputs or the parameters give no finite loss to differentiate");
    }
    Map<String, INDArray> params = checked.parameters();
    if (!params.keySet().equals(analytic.asMap().keySet())) {
      problems.add("gradients(...) returns arrays for " + analytic.asMap().keySet() + ", but the parameters are "
          + params.keySet());
    }
    if (problems.isEmpty() && checked.config().dropout() == 0) {
      double forwardLoss = loss(checked, batch64, passes);
      if (!(Math.abs(forwardLoss - loss) <= 1e-12 * Math.max(1, Math.abs(loss)))) {
        problems.add("the loss of forward(...) is " + forwardLoss + " but gradients(...) reports " + loss
            + ": without dropout the two passes must compute the same function");
      }
    }
    List<ArrayCheck> arrays = new ArrayList<>();
    if (problems.isEmpty()) {
      boolean relu = checked.config().cell() == CellType.RNN_RELU;
      for (Map.Entry<String, INDArray> e : params.entrySet()) {
        INDArray g = analytic.get(e.getKey());
        if (!Arrays.equals(e.getValue().shape(), g.shape())) {
          problems.add("the gradient of " + e.getKey() + " has shape " + Arrays.toString(g.shape())
              + ", the parameter " + Arrays.toString(e.getValue().shape()));
          continue;
        }
        arrays.add(checkArray(checked, batch64, e.getKey(), e.getValue(), g, loss, relu, passes));
      }
    }
    if (checked != model && problems.isEmpty()) {
      compareFloat32(batch, analytic, problems, passes);
    }
    return new Result(model.getClass().getSimpleName(), model.dataType(), batch, loss,
        Collections.unmodifiableList(arrays), Collections.unmodifiableList(problems), passes.count);
  }

  private ArrayCheck checkArray(UnrolledModel m, Batch batch, String name, INDArray p, INDArray g, double loss,
      boolean relu, Counter passes) {
    long[] shape = p.shape();
    long[][] idx = sample(name, shape);
    double[] numeric = new double[idx.length];
    double[] ana = new double[idx.length];
    for (int k = 0; k < idx.length; k++) {
      numeric[k] = centralDifference(m, batch, p, idx[k], rule.epsilon(), passes);
      ana[k] = g.getDouble(idx[k]);
    }
    double n = norm(numeric);
    double err = n == 0 ? norm(ana) : distance(numeric, ana) / n;
    String problem = rule.judge(name, shape, idx, numeric, ana, loss);
    if (problem == null || !relu || maxKinks == 0) {
      return new ArrayCheck(name, shape, idx, numeric, ana, err, List.of(), problem);
    }
    // ReLU: leave out entries on a kink (their difference quotient depends on epsilon).
    List<Integer> keep = new ArrayList<>();
    List<long[]> kinks = new ArrayList<>();
    for (int k = 0; k < idx.length; k++) {
      double coarse = centralDifference(m, batch, p, idx[k], 10 * rule.epsilon(), passes);
      if (Math.abs(coarse - numeric[k]) <= 1e-7 * (1 + Math.abs(numeric[k]))) {
        keep.add(k);
      } else {
        kinks.add(idx[k]);
      }
    }
    String kinkList = kinks.stream().map(Arrays::toString).toList().toString();
    if (kinks.size() > maxKinks) {
      return new ArrayCheck(name, shape, idx, numeric, ana, err, kinks,
          problem + "\n    " + kinks.size() + " entries look like ReLU kinks " + kinkList
              + " (at most " + maxKinks + " are left out): try another seed");
    }
    long[][] idx2 = new long[keep.size()][];
    double[] num2 = new double[keep.size()];
    double[] ana2 = new double[keep.size()];
    for (int j = 0; j < keep.size(); j++) {
      idx2[j] = idx[keep.get(j)];
      num2[j] = numeric[keep.get(j)];
      ana2[j] = ana[keep.get(j)];
    }
    String again = rule.judge(name, shape, idx2, num2, ana2, loss);
    double n2 = norm(num2);
    double err2 = n2 == 0 ? norm(ana2) : distance(num2, ana2) / n2;
    return new ArrayCheck(name, shape, idx2, num2, ana2, err2, kinks,
        again == null ? null : again + "\n    (after leaving out ReLU kinks at " + kinkList + ")");
  }

  /** The float32 model's gradients against the float64 twin's, array by array. */
  private void compareFloat32(Batch batch, Gradients reference, List<String> problems, Counter passes) {
    Gradients g32 = evaluate(model, batch.withInputType(model.dataType()), passes);
    double lossErr = Math.abs(g32.loss() - reference.loss()) / Math.abs(reference.loss());
    if (!(lossErr < float32Tolerance)) {
      problems.add("float32 loss " + g32.loss() + ", float64 " + reference.loss() + ": relative error " + lossErr
          + " (float32 tolerance " + float32Tolerance + ")");
    }
    for (Map.Entry<String, INDArray> e : reference.asMap().entrySet()) {
      INDArray ours = g32.asMap().get(e.getKey());
      if (ours == null || !Arrays.equals(ours.shape(), e.getValue().shape())) {
        problems.add("float32 gradients(...) has no array of shape " + Arrays.toString(e.getValue().shape())
            + " for " + e.getKey());
        continue;
      }
      double[] a = flat(ours);
      double[] ref = flat(e.getValue());
      double n = norm(ref);
      double err = n == 0 ? norm(a) : distance(a, ref) / n;
      if (!(err < float32Tolerance)) {
        problems.add("float32 gradient of " + e.getKey() + ": relative error " + err + " against the float64 twin"
            + " (float32 tolerance " + float32Tolerance + ")");
      }
    }
  }

  /** A float64 instance of the model's generated class holding the model's weights. */
  private static UnrolledModel doubleTwin(UnrolledModel model) {
    UnrolledModel twin;
    try {
      Constructor<? extends UnrolledModel> c =
          model.getClass().getConstructor(long.class, DataType.class);
      twin = c.newInstance(0L, DataType.DOUBLE);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new IllegalArgumentException("GradientCheck checks a " + model.dataType() + " model through a float64"
          + " instance of its class, but " + model.getClass().getName() + " has no public (long seed, DataType)"
          + " constructor: pass a model built with DataType.DOUBLE instead", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("creating a float64 " + model.getClass().getName() + " failed", e.getCause());
    }
    Npz.importInto(twin.parameters(), model.parameters(), "the " + model.dataType() + " model's parameters");
    return twin;
  }

  /** (L(θ + ε) − L(θ − ε)) / 2ε for one entry, perturbing the live parameter and restoring it. */
  private double centralDifference(UnrolledModel m, Batch batch, INDArray p, long[] at, double eps, Counter passes) {
    double original = p.getDouble(at);
    try {
      p.putScalar(at, original + eps);
      double plus = loss(m, batch, passes);
      p.putScalar(at, original - eps);
      double minus = loss(m, batch, passes);
      return (plus - minus) / (2 * eps);
    } finally {
      p.putScalar(at, original);
    }
  }

  private Gradients evaluate(UnrolledModel m, Batch batch, Counter passes) {
    m.seedDropout(seed);
    passes.count++;
    return batch.gradients(m);
  }

  /**
   * The loss at the current parameters: of a forward pass where the model has no dropout (several
   * times cheaper than {@code gradients}, which also allocates and fills every gradient), else of
   * {@code gradients} with the dropout masks restarted from the seed.
   */
  private double loss(UnrolledModel m, Batch batch, Counter passes) {
    if (m.config().dropout() == 0) {
      passes.count++;
      return batch.loss(m);
    }
    return evaluate(m, batch, passes).loss();
  }

  /** Every entry, or {@code samples} distinct ones drawn by the seed and the parameter's name. */
  private long[][] sample(String name, long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    int k = (int) Math.min(samples, n);
    long[] linear = new long[k];
    if (n <= samples) {
      for (int i = 0; i < k; i++) {
        linear[i] = i;
      }
    } else {
      // distinct draws: k is small, n may be millions
      Random rnd = new Random(seed * 1_000_003L + name.hashCode());
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < k; ) {
        long v = Math.floorMod(rnd.nextLong(), n);
        if (seen.add(v)) {
          linear[i++] = v;
        }
      }
    }
    long[][] idx = new long[k][];
    for (int i = 0; i < k; i++) {
      idx[i] = subscripts(shape, linear[i]);
    }
    return idx;
  }

  private static int positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + value);
    }
    return value;
  }

  /** Passes run so far. */
  private static final class Counter {
    int count;
  }
}
