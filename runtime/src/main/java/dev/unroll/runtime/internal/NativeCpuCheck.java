package dev.unroll.runtime.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.nd4j.common.io.Resource;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4jBackend;

/**
 * Matches ND4J's native CPU build to the CPU before ND4J loads it.
 *
 * <p>The runtime depends on ND4J's oneDNN build for AVX2 ({@code nd4j-native} classifier
 * {@code linux-x86_64-onednn-avx2}). On a CPU without AVX2 that binary cannot run: ND4J's start-up
 * check ends the JVM with status 1, and its message goes to SLF4J, which may have no binding. JavaCPP
 * picks the binary by the system property {@value #EXTENSION_PROPERTY}: unset, it tries the extensions
 * ND4J's preset lists ({@link #ND4J_EXTENSIONS}) in reverse and then the plain build, loading the first
 * that is on the class path; set, it tries that extension and then the plain build (JavaCPP 1.5.7,
 * {@code Loader.findLibrary}). It reads the property once, when it first loads a library. Two hooks use
 * the same rules:
 *
 * <ul>
 *   <li>{@link #chooseNativeBuild()}, for a program that ships several builds (the examples' command-line
 *       tool ships the oneDNN-AVX2 and the plain one): called first thing in {@code main}, it sets the
 *       property to a build this CPU runs when the default one would not.
 *   <li>{@link StartupWarning}, for every other JVM, where ND4J may load before any of our code runs:
 *       ND4J instantiates every {@link Nd4jBackend} listed in {@code META-INF/services} before it loads
 *       its natives, and this one prints a line on {@code System.err} naming the missing CPU flag and the
 *       fix, when the build that will load needs a flag the CPU lacks.
 * </ul>
 *
 * <p>Both read the CPU's flags from {@code /proc/cpuinfo} (once, up to the first {@code flags} line), and
 * only on Linux x86-64; elsewhere they do nothing.
 *
 * <p>Set-up plumbing rather than API: the command-line tool's {@code main} calls {@link
 * #chooseNativeBuild()}, the runtime's {@code META-INF/services} lists {@link StartupWarning}, and
 * {@code RuntimeOptions.describe} names the {@link #loadedBuild() loaded build}.
 */
public final class NativeCpuCheck {

  /** The system property JavaCPP reads for the native build's extension ("" for the plain build). */
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

  /** JavaCPP's platform name for Linux x86-64, the only platform checked. */
  static final String PLATFORM = "linux-x86_64";

  /** Where ND4J's CPU backend keeps its natives, one folder per platform and extension. */
  static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";

  /** The JNI library every ND4J CPU build holds. */
  static final String LIBRARY = "libjnind4jcpu.so";

  /** ND4J 1.0.0-M2.1's extensions in the order its preset ({@code Nd4jCpuPresets}) lists them. */
  static final List<String> ND4J_EXTENSIONS = List.of("-onednn", "-onednn-avx512", "-onednn-avx2",
      "-vednn", "-vednn-avx512", "-vednn-avx2", "-", "-avx2", "-avx512", "-compat");

  /** The flags libnd4j's AVX2 builds check for at start-up ({@code isMinimalRequirementsMet}). */
  static final List<String> AVX2_FLAGS = List.of("avx", "avx2");

  /** The flags libnd4j's AVX-512 builds check for (Skylake-AVX512's set). */
  static final List<String> AVX512_FLAGS =
      List.of("avx", "avx2", "avx512f", "avx512vl", "avx512bw", "avx512dq", "avx512cd");

  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  private NativeCpuCheck() {}

  /**
   * For a program that ships several of ND4J's native builds: when the user has not set
   * {@value #EXTENSION_PROPERTY} and the build JavaCPP would load needs a CPU flag this CPU lacks, sets
   * the property to the first shipped build that runs here. Call it before anything loads ND4J or
   * JavaCPP.
   *
   * @return a one-line note saying which build was chosen instead, or empty when nothing changed
   */
  public static Optional<String> chooseNativeBuild() {
    Optional<Set<String>> flags = cpuFlags();
    if (flags.isEmpty()) {
      return Optional.empty();
    }
    Optional<Choice> choice =
        choose(flags.get(), System.getProperty(EXTENSION_PROPERTY), NativeCpuCheck::bundled);
    choice.ifPresent(c -> System.setProperty(EXTENSION_PROPERTY, c.extension()));
    return choice.map(Choice::note);
  }

  /**
   * A build chosen instead of the default one.
   *
   * @param extension the value for {@value #EXTENSION_PROPERTY} ("" for the plain build)
   * @param note one line for the user
   */
  record Choice(String extension, String note) {}

  /**
   * The build to load instead of JavaCPP's default, when its default needs flags the CPU lacks.
   *
   * @param flags the CPU's flags
   * @param property the value of {@value #EXTENSION_PROPERTY}, or null when unset
   * @param bundled whether the build with this extension is on the class path
   * @return empty when the user chose already (property set), when the default runs here, or when no
   *     shipped build does
   */
  static Optional<Choice> choose(Set<String> flags, String property, Predicate<String> bundled) {
    if (property != null) {
      return Optional.empty();
    }
    Optional<String> loaded = loaded(null, bundled);
    if (loaded.isEmpty() || missing(loaded.get(), flags).isEmpty()) {
      return Optional.empty();
    }
    String lacking = String.join(", ", missing(loaded.get(), flags));
    return searchOrder(null).stream()
        .filter(e -> bundled.test(e) && missing(e, flags).isEmpty())
        .findFirst()
        .map(e -> new Choice(e, "unroll: this CPU lacks " + lacking + ", which ND4J's " + build(loaded.get())
            + " build needs: using its " + build(e) + " build instead (-D" + EXTENSION_PROPERTY + "="
            + e + ")"));
  }

  /**
   * The line {@link StartupWarning} prints: when the build that will load needs flags the CPU lacks.
   *
   * @param flags the CPU's flags
   * @param property the value of {@value #EXTENSION_PROPERTY}, or null when unset
   * @param bundled whether the build with this extension is on the class path
   */
  static Optional<String> warning(Set<String> flags, String property, Predicate<String> bundled) {
    Optional<String> loaded = loaded(property, bundled);
    if (loaded.isEmpty()) {
      return Optional.empty();
    }
    List<String> lacking = missing(loaded.get(), flags);
    if (lacking.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> runnable = searchOrder(null).stream()
        .filter(e -> bundled.test(e) && missing(e, flags).isEmpty())
        .findFirst();
    String fix = runnable
        .map(e -> "start java with -D" + EXTENSION_PROPERTY + "=" + e + " to load the " + build(e)
            + " build, which is on the class path too")
        .orElse("build unroll with -Dnd4j.extension= (empty), or depend on org.nd4j:nd4j-native's plain "
            + PLATFORM + " classifier instead of " + PLATFORM + loaded.get());
    return Optional.of("unroll: this CPU lacks " + String.join(", ", lacking) + ", which ND4J's "
        + build(loaded.get()) + " native build needs; ND4J will stop the JVM at start-up (\"CPU Feature"
        + " Check Failed\"). Fix: " + fix + ".");
  }

  /** "linux-x86_64-onednn-avx2", or "plain linux-x86_64" for the build without an extension. */
  private static String build(String extension) {
    return extension.isEmpty() ? "plain " + PLATFORM : PLATFORM + extension;
  }

  /**
   * The extensions JavaCPP tries, in order, for a value of {@value #EXTENSION_PROPERTY}; the plain
   * build ("") comes last.
   *
   * @param property the property's value, or null when unset
   */
  static List<String> searchOrder(String property) {
    List<String> order = new ArrayList<>();
    if (property == null) {
      order.addAll(ND4J_EXTENSIONS);
      Collections.reverse(order);
    } else if (!property.isEmpty()) {
      order.add(property);
    }
    order.add("");
    return order;
  }

  /** The native build JavaCPP loads, e.g. "linux-x86_64-onednn-avx2" or "plain linux-x86_64". */
  public static String loadedBuild() {
    return loaded(System.getProperty(EXTENSION_PROPERTY), NativeCpuCheck::bundled)
        .map(NativeCpuCheck::build).orElse("no bundled " + PLATFORM + " build");
  }

  /** The extension of the build JavaCPP will load, or empty when none is on the class path. */
  static Optional<String> loaded(String property, Predicate<String> bundled) {
    return searchOrder(property).stream().filter(bundled).findFirst();
  }

  /** The flags that a build with {@code extension} needs and {@code flags} lacks, in libnd4j's order. */
  static List<String> missing(String extension, Set<String> flags) {
    List<String> needed = extension.contains("avx512") ? AVX512_FLAGS
        : extension.contains("avx2") ? AVX2_FLAGS
        : List.of();
    return needed.stream().filter(f -> !flags.contains(f)).collect(Collectors.toList());
  }

  /**
   * The flags on the first {@code flags} line of {@code /proc/cpuinfo}-style text, read up to that line.
   *
   * @return empty when the text has no {@code flags} line
   */
  static Optional<Set<String>> flags(BufferedReader cpuinfo) throws IOException {
    for (String line = cpuinfo.readLine(); line != null; line = cpuinfo.readLine()) {
      int colon = line.indexOf(':');
      if (colon >= 0 && line.substring(0, colon).trim().equals("flags")) {
        String list = line.substring(colon + 1).trim();
        return Optional.of(list.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(list.split("\\s+"))));
      }
    }
    return Optional.empty();
  }

  /**
   * This CPU's flags: on Linux x86-64 read from {@code /proc/cpuinfo} up to its first {@code flags}
   * line; empty on other systems, for another JavaCPP platform, or when the file cannot be read.
   */
  static Optional<Set<String>> cpuFlags() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String platform = System.getProperty("org.bytedeco.javacpp.platform", PLATFORM);
    if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))
        || !platform.equals(PLATFORM)) {
      return Optional.empty();
    }
    try (BufferedReader r = Files.newBufferedReader(CPUINFO, StandardCharsets.ISO_8859_1)) {
      return flags(r);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether ND4J's CPU build with {@code extension} is on this class path. */
  static boolean bundled(String extension) {
    String name = BINDINGS + PLATFORM + extension + "/" + LIBRARY;
    ClassLoader loader = NativeCpuCheck.class.getClassLoader();
    return (loader != null ? loader.getResource(name) : ClassLoader.getSystemResource(name)) != null;
  }

  /**
   * Not a backend: ND4J instantiates every {@link Nd4jBackend} its {@code ServiceLoader} finds before it
   * loads the natives of the one it picks, which makes this class's constructor the earliest hook inside
   * ND4J's start-up. The constructor prints {@link NativeCpuCheck#warning} on {@code System.err} (once
   * per JVM) and never throws; the lowest priority and {@link #isAvailable()}'s exception keep ND4J
   * from ever choosing it. Listed in the runtime's {@code META-INF/services/org.nd4j.linalg.factory.Nd4jBackend}.
   */
  public static final class StartupWarning extends Nd4jBackend {

    private static final AtomicBoolean CHECKED = new AtomicBoolean();

    /** Checks the CPU against the build that will load, the first time only. */
    public StartupWarning() {
      if (CHECKED.compareAndSet(false, true)) {
        try {
          cpuFlags()
              .flatMap(f -> warning(f, System.getProperty(EXTENSION_PROPERTY), NativeCpuCheck::bundled))
              .ifPresent(System.err::println);
        } catch (RuntimeException e) {
          // a failed check must not stop ND4J's backend discovery, which treats a throwing provider as fatal
        }
      }
    }

    /** Below every real backend (ND4J sorts by priority, highest first). */
    @Override
    public int getPriority() {
      return -1_000_000;
    }

    /**
     * Never: ND4J asks only when no real backend was available, and logs this message when skipping.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public boolean isAvailable() {
      throw new UnsupportedOperationException("not a backend: unroll's check of the CPU's flags");
    }

    @Override
    public boolean canRun() {
      return false;
    }

    @Override
    public boolean allowsOrder() {
      return false;
    }

    /** @throws UnsupportedOperationException always: not a backend */
    @Override
    public Resource getConfigurationResource() {
      throw new UnsupportedOperationException("not a backend");
    }

    /** @throws UnsupportedOperationException always: not a backend */
    @Override
    @SuppressWarnings("rawtypes")
    public Class getNDArrayClass() {
      throw new UnsupportedOperationException("not a backend");
    }

    /** @throws UnsupportedOperationException always: not a backend */
    @Override
    public Environment getEnvironment() {
      throw new UnsupportedOperationException("not a backend");
    }

    @Override
    public String buildInfo() {
      return "unroll's native CPU check (not a backend)";
    }

    @Override
    public void logBackendInit() {
      // nothing to log: not a backend
    }
  }
}
