package dev.unroll.runtime;

import dev.unroll.runtime.internal.Directions;
import dev.unroll.runtime.internal.FusedLstm;
import dev.unroll.runtime.internal.NativeCpuCheck;
import dev.unroll.runtime.internal.RecurrentWeight;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The runtime's six switches, read once from the system properties into one immutable value.
 *
 * <table>
 *   <caption>The switches</caption>
 *   <tr><th>property</th><th>default</th><th>what it chooses</th></tr>
 *   <tr><td>{@code unroll.fusedLstm}</td><td>{@code auto}</td><td>float32 LSTM evaluation passes
 *       through libnd4j's fused {@code lstmLayer} op ({@link FusedLstm})</td></tr>
 *   <tr><td>{@code unroll.directBlas}</td><td>{@code auto}</td><td>products straight into OpenBLAS or
 *       through libnd4j's {@code matmul} op ({@code internal.Blas})</td></tr>
 *   <tr><td>{@code unroll.maxJavaProduct}</td><td>{@code 131072}</td><td>the largest step product run
 *       as a Java loop ({@link RecurrentWeight}); 0 = always native</td></tr>
 *   <tr><td>{@code unroll.parallelDirections}</td><td>{@code true} on more than one core</td><td>the
 *       reverse direction of a bidirectional layer on its own thread ({@link Directions})</td></tr>
 *   <tr><td>{@code unroll.nd4jMasterThreads}</td><td>{@code 1}</td><td>libnd4j's master threads; a
 *       count or {@code keep}</td></tr>
 *   <tr><td>{@code unroll.blasThreads}</td><td>{@code auto}</td><td>OpenBLAS's threads; a count,
 *       {@code keep}, or {@code auto} (1 when libnd4j has oneDNN, else left alone)</td></tr>
 * </table>
 *
 * <p><b>Global changes an embedding application should know about.</b> On the first matrix product
 * of the JVM the runtime applies the two thread switches to process-wide native settings: it sets
 * ND4J's {@code Environment.setMaxMasterThreads} (to 1 by default) and, on the oneDNN jar, OpenBLAS's
 * {@code setMaxThreads} (to 1 by default). Both change every other ND4J user in the same JVM;
 * {@code -Dunroll.nd4jMasterThreads=keep -Dunroll.blasThreads=keep} leaves them alone. They are set
 * once: a later {@link #override} does not change them. At that moment the runtime logs one line
 * ({@link #describe()}) through SLF4J, like ND4J's own start-up lines: which native build, whether the
 * fused LSTM path is on, and the threads.
 *
 * <p>{@link #current()} is the value the runtime uses; tests and measurements that compare paths
 * change it for a block with {@link #override} or for one call with {@link #with}:
 *
 * <pre>{@code
 * try (RuntimeOptions.Scope scope = RuntimeOptions.override(o -> o.withFusedLstm(Switch.OFF))) {
 *   INDArray loop = model.forward(x);
 * }
 * INDArray fused = RuntimeOptions.with(o -> o.withFusedLstm(Switch.ON), () -> model.forward(x));
 * }</pre>
 */
public final class RuntimeOptions {
  /** {@code -Dunroll.fusedLstm}: {@code auto}, {@code true} or {@code false}. */
  public static final String FUSED_LSTM = "unroll.fusedLstm";
  /** {@code -Dunroll.directBlas}: {@code auto}, {@code true} or {@code false}. */
  public static final String DIRECT_BLAS = "unroll.directBlas";
  /** {@code -Dunroll.maxJavaProduct}: multiply-adds, 0 or more. */
  public static final String MAX_JAVA_PRODUCT = "unroll.maxJavaProduct";
  /** {@code -Dunroll.parallelDirections}: {@code true} or {@code false}. */
  public static final String PARALLEL_DIRECTIONS = "unroll.parallelDirections";
  /** {@code -Dunroll.nd4jMasterThreads}: a thread count or {@code keep}. */
  public static final String ND4J_MASTER_THREADS = "unroll.nd4jMasterThreads";
  /** {@code -Dunroll.blasThreads}: a thread count, {@code keep} or {@code auto}. */
  public static final String BLAS_THREADS = "unroll.blasThreads";

  /** A three-way switch: decide by the native build and the pass, always, never. */
  public enum Switch {
    AUTO, ON, OFF;

    static Switch parse(String property, String value) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "auto":
          return AUTO;
        case "true":
          return ON;
        case "false":
          return OFF;
        default:
          throw new IllegalArgumentException(
              "-D" + property + " must be auto, true or false, not '" + value.trim() + "'");
      }
    }

    /** The property's spelling: {@code auto}, {@code true}, {@code false}. */
    @Override
    public String toString() {
      return this == AUTO ? "auto" : this == ON ? "true" : "false";
    }
  }

  /** A thread-count switch's value for {@code keep}: leave the native setting alone. */
  public static final int KEEP = 0;

  /** {@link #blasThreads()}'s value for {@code auto}. */
  public static final int AUTO_THREADS = -1;

  /**
   * The options in force; null until first asked for. Read lazily, so that a bad {@code -Dunroll.*}
   * value is an {@link IllegalArgumentException} naming it at every use, not a class-initialisation
   * error that later uses only report as {@code NoClassDefFoundError}.
   */
  private static volatile RuntimeOptions current;

  private final Switch fusedLstm;
  private final Switch directBlas;
  private final long maxJavaProduct;
  private final boolean parallelDirections;
  private final int nd4jMasterThreads;
  private final int blasThreads;

  private RuntimeOptions(Switch fusedLstm, Switch directBlas, long maxJavaProduct,
      boolean parallelDirections, int nd4jMasterThreads, int blasThreads) {
    this.fusedLstm = Objects.requireNonNull(fusedLstm);
    this.directBlas = Objects.requireNonNull(directBlas);
    if (maxJavaProduct < 0) {
      throw new IllegalArgumentException(
          "-D" + MAX_JAVA_PRODUCT + " must be 0 or more multiply-adds, not " + maxJavaProduct);
    }
    this.maxJavaProduct = maxJavaProduct;
    this.parallelDirections = parallelDirections;
    this.nd4jMasterThreads = nd4jMasterThreads;
    this.blasThreads = blasThreads;
  }

  /** The options in force: the system properties as read at start-up, or an {@link #override}. */
  public static RuntimeOptions current() {
    RuntimeOptions c = current;
    if (c == null) {
      synchronized (RuntimeOptions.class) {
        if (current == null) {
          current = fromProperties(System.getProperties());
        }
        c = current;
      }
    }
    return c;
  }

  /** The options {@code properties} ask for (defaults where a property is unset). */
  public static RuntimeOptions fromProperties(Properties properties) {
    String maxJava = properties.getProperty(MAX_JAVA_PRODUCT,
        Long.toString(RecurrentWeight.DEFAULT_MAX_JAVA_PRODUCT)).trim();
    long maxJavaProduct;
    try {
      maxJavaProduct = Long.parseLong(maxJava);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + MAX_JAVA_PRODUCT + " must be a count of multiply-adds, not '" + maxJava + "'", e);
    }
    String blas = properties.getProperty(BLAS_THREADS, "auto");
    return new RuntimeOptions(
        Switch.parse(FUSED_LSTM, properties.getProperty(FUSED_LSTM, "auto")),
        Switch.parse(DIRECT_BLAS, properties.getProperty(DIRECT_BLAS, "auto")),
        maxJavaProduct,
        Boolean.parseBoolean(properties.getProperty(PARALLEL_DIRECTIONS,
            Boolean.toString(Runtime.getRuntime().availableProcessors() > 1))),
        threads(ND4J_MASTER_THREADS, properties.getProperty(ND4J_MASTER_THREADS, "1")),
        blas.trim().equalsIgnoreCase("auto") ? AUTO_THREADS : threads(BLAS_THREADS, blas));
  }

  /** The thread count {@code value} of switch {@code property} asks for, {@link #KEEP} for {@code keep}. */
  static int threads(String property, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("keep")) {
      return KEEP;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-D" + property + " must be a thread count of at least 1 or 'keep'"
        + (property.equals(BLAS_THREADS) ? " or 'auto'" : "") + ", not '" + value + "'");
  }

  /**
   * Makes {@code change}'s options current until the returned scope is closed, for every thread of the
   * JVM (meant for tests and measurements that compare paths, which run one at a time). Scopes nest;
   * closing one restores the options it replaced.
   */
  public static Scope override(UnaryOperator<RuntimeOptions> change) {
    synchronized (RuntimeOptions.class) {
      RuntimeOptions before = current();
      current = Objects.requireNonNull(change.apply(before));
      return new Scope(before);
    }
  }

  /**
   * {@code call}'s result with {@code change}'s options in force (an {@link #override} around it), e.g.
   * {@code RuntimeOptions.with(o -> o.withFusedLstm(Switch.OFF), () -> model.forward(x))}.
   */
  public static <T> T with(UnaryOperator<RuntimeOptions> change, Supplier<T> call) {
    Scope scope = override(change);
    try {
      return call.get();
    } finally {
      scope.close();
    }
  }

  /** An {@link #override} in force; {@link #close()} ends it. */
  public static final class Scope implements AutoCloseable {
    private final RuntimeOptions before;
    private boolean closed;

    private Scope(RuntimeOptions before) {
      this.before = before;
    }

    @Override
    public void close() {
      synchronized (RuntimeOptions.class) {
        if (!closed) {
          closed = true;
          current = before;
        }
      }
    }
  }

  /** {@code -Dunroll.fusedLstm}. */
  public Switch fusedLstm() {
    return fusedLstm;
  }

  /** {@code -Dunroll.directBlas}. */
  public Switch directBlas() {
    return directBlas;
  }

  /** {@code -Dunroll.maxJavaProduct}: the most multiply-adds a step product may take in Java. */
  public long maxJavaProduct() {
    return maxJavaProduct;
  }

  /**
   * The limit for products of one or two rows (matrix-vector products, where gemm gains nothing): at
   * least 1 M multiply-adds, 0 when {@link #maxJavaProduct()} is 0.
   */
  public long maxJavaVectorProduct() {
    return maxJavaProduct == 0 ? 0 : Math.max(maxJavaProduct, 1024 * 1024);
  }

  /** {@code -Dunroll.parallelDirections}. */
  public boolean parallelDirections() {
    return parallelDirections;
  }

  /** {@code -Dunroll.nd4jMasterThreads}: a count, or {@link #KEEP}. */
  public int nd4jMasterThreads() {
    return nd4jMasterThreads;
  }

  /** {@code -Dunroll.blasThreads}: a count, {@link #KEEP}, or {@link #AUTO_THREADS}. */
  public int blasThreads() {
    return blasThreads;
  }

  public RuntimeOptions withFusedLstm(Switch s) {
    return new RuntimeOptions(s, directBlas, maxJavaProduct, parallelDirections, nd4jMasterThreads, blasThreads);
  }

  public RuntimeOptions withDirectBlas(Switch s) {
    return new RuntimeOptions(fusedLstm, s, maxJavaProduct, parallelDirections, nd4jMasterThreads, blasThreads);
  }

  public RuntimeOptions withMaxJavaProduct(long n) {
    return new RuntimeOptions(fusedLstm, directBlas, n, parallelDirections, nd4jMasterThreads, blasThreads);
  }

  public RuntimeOptions withParallelDirections(boolean on) {
    return new RuntimeOptions(fusedLstm, directBlas, maxJavaProduct, on, nd4jMasterThreads, blasThreads);
  }

  /**
   * The one start-up line: the native build, the paths and the threads, e.g. {@code unroll runtime:
   * linux-x86_64-onednn-avx2 (oneDNN), fused LSTM auto (on), direct BLAS auto, Java products up to 131072
   * multiply-adds, parallel directions on, libnd4j master threads 1, OpenBLAS threads 1}.
   */
  public String describe() {
    boolean oneDnn = FusedLstm.oneDnn();
    return String.format(Locale.ROOT,
        "unroll runtime: %s%s, fused LSTM %s (%s), direct BLAS %s, Java products up to %d multiply-adds,"
            + " parallel directions %s, libnd4j master threads %s, OpenBLAS threads %s",
        NativeCpuCheck.loadedBuild(), oneDnn ? " (oneDNN)" : "", fusedLstm,
        fusedLstm == Switch.ON || fusedLstm == Switch.AUTO && oneDnn ? "on" : "off", directBlas,
        maxJavaProduct, parallelDirections ? "on" : "off",
        nd4jMasterThreads == KEEP ? "kept" : Integer.toString(nd4jMasterThreads),
        blasThreads == KEEP || blasThreads == AUTO_THREADS && !oneDnn ? "kept"
            : Integer.toString(blasThreads == AUTO_THREADS ? 1 : blasThreads));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "-D%s=%s -D%s=%s -D%s=%d -D%s=%s -D%s=%s -D%s=%s",
        FUSED_LSTM, fusedLstm, DIRECT_BLAS, directBlas, MAX_JAVA_PRODUCT, maxJavaProduct,
        PARALLEL_DIRECTIONS, parallelDirections, ND4J_MASTER_THREADS,
        nd4jMasterThreads == KEEP ? "keep" : Integer.toString(nd4jMasterThreads), BLAS_THREADS,
        blasThreads == KEEP ? "keep" : blasThreads == AUTO_THREADS ? "auto" : Integer.toString(blasThreads));
  }
}
