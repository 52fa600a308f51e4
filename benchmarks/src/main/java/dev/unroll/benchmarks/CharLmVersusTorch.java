package dev.unroll.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The training benchmark side by side: {@code char-lm curve} (the examples jar, in a child JVM) and
 * PyTorch's {@code char_lm_torch.py} (the same model, data, split, optimizer and validation), one after
 * the other on the same machine, never at once, for the same minutes of training each (evaluations
 * excluded from both clocks). Writes one Markdown table and one PNG of validation loss against minutes,
 * with the iterations per minute of both.
 */
@Command(
    name = "CharLmVersusTorch",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains char-lm curve's 2 x 256 LSTM (embedding 64, Adam 2e-3, batch 64 x 100, TBPTT with carried",
      "state, clip 5, the text's characters) in unroll and then in PyTorch, --minutes each, and writes",
      "<name>.md and <name>.png of validation loss against minutes of training."
    })
public final class CharLmVersusTorch implements Callable<Integer> {

  /** The built-in text's file in the repository, for PyTorch (unroll reads the copy in its jar). */
  static final String TINY_SHAKESPEARE = "examples/src/main/resources/dev/unroll/examples/charlm/tinyshakespeare.txt";

  @Option(names = "--minutes", defaultValue = "15", description = "Training minutes for each (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(names = "--every", defaultValue = "1",
      description = "Minutes between evaluations, besides 1, 2, 5, 10 and 15 (default: ${DEFAULT-VALUE}).")
  double every;

  @Option(names = "--threads", defaultValue = "2",
      description = "unroll's --threads and PyTorch's torch.set_num_threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--vocabulary", defaultValue = "characters",
      description = "characters (the text's own) or bytes (the 256 byte values), for both (default: ${DEFAULT-VALUE}).")
  String vocabulary;

  @Option(names = "--dropout", defaultValue = "0",
      description = "Dropout between the two layers for both: 0 (PyTorch's reference setting), 0.2 or 0.5"
          + " (char-lm curve --dropout, whose models are compiled with these; nn.LSTM(dropout=...))"
          + " (default: ${DEFAULT-VALUE}).")
  double dropout;

  @Option(names = "--examples-jar", defaultValue = "examples/target/unroll-examples.jar",
      description = "The examples jar (default: ${DEFAULT-VALUE}; build it with mvn -pl examples -am package).")
  Path examplesJar;

  @Option(names = "--python", description = "Python with torch (default: python3, then /usr/bin/python3).")
  String python;

  @Option(names = "--out", defaultValue = "benchmarks/results", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--name", defaultValue = "char-lm-vs-torch",
      description = "Base name of the .md and .png files (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--note", description = "A line written under the title (e.g. that this is a smoke run).")
  String note;

  /** One evaluation. */
  record Point(double minutes, long iteration, double loss) {}

  /** One side's run. */
  record Run(String label, List<Point> points, long iterations, double trainMinutes) {
    double iterationsPerMinute() {
      return trainMinutes > 0 ? iterations / trainMinutes : Double.NaN;
    }
  }

  public static void main(String[] args) {
    Charts.headless();
    System.exit(new CommandLine(new CharLmVersusTorch()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!(minutes > 0) || threads < 1) {
      throw new IllegalArgumentException("--minutes must be above 0 and --threads at least 1");
    }
    if (!vocabulary.equals("characters") && !vocabulary.equals("bytes")) {
      throw new IllegalArgumentException("--vocabulary must be characters or bytes, not " + vocabulary);
    }
    if (dropout != 0 && dropout != 0.2 && dropout != 0.5) {
      throw new IllegalArgumentException("--dropout must be 0, 0.2 or 0.5 (the compiled models' settings), not "
          + dropout);
    }
    if (!Files.isRegularFile(examplesJar)) {
      throw new IllegalArgumentException("no examples jar at " + examplesJar
          + ": build it (mvn -B -pl examples -am package -DskipTests) or pass --examples-jar");
    }
    Path text = Path.of(TINY_SHAKESPEARE);
    if (!Files.isRegularFile(text)) {
      throw new IllegalArgumentException("no " + TINY_SHAKESPEARE + ": run from the repository root");
    }
    String py = findPython();
    Path work = Files.createTempDirectory("char-lm-vs-torch");
    Files.createDirectories(out);

    Run ours = runUnroll(work.resolve("unroll"));
    Run torch = runTorch(py, text, work);

    String command = String.format(Locale.ROOT,
        "java -cp benchmarks/target/benchmarks.jar dev.unroll.benchmarks.CharLmVersusTorch --minutes %s"
            + " --every %s --threads %d --vocabulary %s --dropout %s --name %s",
        trim(minutes), trim(every), threads, vocabulary, trim(dropout), name);
    String table = table(ours, torch, command);
    Path md = out.resolve(name + ".md");
    Files.writeString(md, table, StandardCharsets.UTF_8);
    Path png = out.resolve(name + ".png");
    plot(png, List.of(ours, torch));
    System.out.print(table);
    System.out.println("wrote " + md + " and " + png);
    deleteTree(work);
    return 0;
  }

  /** Removes the runs' scratch files (checkpoints, CSVs, the script's copy). */
  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private String findPython() throws IOException, InterruptedException {
    List<String> candidates = python != null ? List.of(python) : List.of("python3", "/usr/bin/python3");
    for (String c : candidates) {
      try {
        Process p = new ProcessBuilder(c, "-c", "import torch").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() == 0) {
          return c;
        }
      } catch (IOException e) {
        // try the next
      }
    }
    throw new IllegalStateException("none of " + candidates + " can 'import torch' (install it, e.g."
        + " apt-get install python3-torch, or pass --python)");
  }

  private Run runUnroll(Path dir) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = List.of(java, "-jar", examplesJar.toString(), "char-lm", "curve",
        "--dropout", trim(dropout), "--minutes", trim(minutes), "--every", trim(every), "--threads", Integer.toString(threads),
        "--vocabulary", vocabulary, "--no-progress", "--out", dir.toString());
    System.err.println("unroll:  " + shown(cmd, dir.getParent()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    Process child = pb.start();
    copyScratchHidden(child.getInputStream(), dir.getParent());
    int code = child.waitFor();
    if (code != 0) {
      throw new IllegalStateException("char-lm curve exited with " + code);
    }
    List<Point> points = readCsv(dir.resolve("curve.csv"));
    Point last = points.get(points.size() - 1);
    return new Run("unroll", points, last.iteration(), last.minutes());
  }

  /**
   * Copies a child's output to standard output line by line, with the scratch folder shown as
   * {@code <scratch>}: the child names its files by their full paths, outside the repository.
   */
  static void copyScratchHidden(InputStream in, Path scratch) throws IOException {
    try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        System.out.println(line.replace(scratch.toString(), "<scratch>"));
      }
    }
  }

  /**
   * A command as the log shows it: programs by name, the script by its path in the repository and the
   * scratch folder as {@code <scratch>}, so that no path outside the repository is printed.
   */
  static String shown(List<String> cmd, Path scratch) {
    List<String> out = new ArrayList<>();
    for (String c : cmd) {
      if (c.endsWith("char_lm_torch.py")) {
        out.add("benchmarks/src/main/python/char_lm_torch.py");
      } else if (c.startsWith(scratch.toString())) {
        out.add("<scratch>" + c.substring(scratch.toString().length()));
      } else if (out.isEmpty()) {
        out.add(Path.of(c).getFileName().toString());
      } else {
        out.add(c);
      }
    }
    return String.join(" ", out);
  }

  private Run runTorch(String py, Path text, Path work) throws IOException, InterruptedException {
    Path script = work.resolve("char_lm_torch.py");
    try (InputStream in = CharLmVersusTorch.class.getResourceAsStream("/python/char_lm_torch.py")) {
      if (in == null) {
        throw new IOException("python/char_lm_torch.py is not on the classpath");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path csv = work.resolve("torch.csv");
    List<String> cmd = List.of(py, script.toString(), "--text", text.toString(), "--minutes", trim(minutes),
        "--every", trim(every), "--threads", Integer.toString(threads), "--vocabulary", vocabulary,
        "--dropout", trim(dropout), "--out", csv.toString());
    System.err.println("PyTorch: " + shown(cmd, work));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    Process p = pb.start();
    String summary;
    try (InputStream stdout = p.getInputStream()) {
      summary = new String(stdout.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException("char_lm_torch.py exited with " + code + ": " + summary);
    }
    String version = field(summary, "torch");
    long iterations = Long.parseLong(field(summary, "iterations"));
    double seconds = Double.parseDouble(field(summary, "train_seconds"));
    return new Run("PyTorch " + version, readCsv(csv), iterations, seconds / 60);
  }

  /** A field of the script's one-line JSON summary (flat, so no JSON library is needed). */
  static String field(String json, String key) {
    String k = "\"" + key + "\": ";
    int i = json.indexOf(k);
    if (i < 0) {
      throw new IllegalStateException("no " + key + " in PyTorch's summary: " + json);
    }
    int from = i + k.length();
    int to = from;
    while (to < json.length() && json.charAt(to) != ',' && json.charAt(to) != '}') {
      to++;
    }
    return json.substring(from, to).replace("\"", "").trim();
  }

  static List<Point> readCsv(Path file) throws IOException {
    List<Point> points = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      points.add(new Point(Double.parseDouble(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2])));
    }
    if (points.isEmpty()) {
      throw new IllegalStateException(file + " holds no evaluation");
    }
    return points;
  }

  /**
   * The minutes both sides evaluate at, as {@code char-lm curve} and the script choose them: 1, 2, 5,
   * 10 and 15 up to {@code minutes}, every {@code every} minutes, and {@code minutes} itself.
   */
  static List<Double> marks(double minutes, double every) {
    List<Double> m = new ArrayList<>();
    for (double t : new double[] {1, 2, 5, 10, 15}) {
      if (t <= minutes + 1e-9) {
        m.add(t);
      }
    }
    for (double t = every; every > 0 && t <= minutes + 1e-9; t += every) {
      final double v = t;
      if (m.stream().noneMatch(x -> Math.abs(x - v) < 1e-6)) {
        m.add(t);
      }
    }
    if (m.stream().noneMatch(x -> Math.abs(x - minutes) < 1e-6)) {
      m.add(minutes);
    }
    m.sort(Double::compare);
    return m;
  }

  /** The first evaluation at or after {@code minutes} (and before the next half minute), or null. */
  static Point at(List<Point> points, double minutes) {
    for (Point p : points) {
      if (p.minutes() >= minutes - 1e-9 && p.minutes() < minutes + 0.5) {
        return p;
      }
    }
    return null;
  }

  String table(Run ours, Run torch, String command) {
    StringBuilder sb = new StringBuilder();
    sb.append("# char-lm curve against PyTorch, side by side\n\n");
    if (note != null) {
      sb.append("**").append(note).append("**\n\n");
    }
    sb.append(String.format(Locale.ROOT,
        "2 × 256 LSTM, embedding 64, %s; Adam 2e-3, batch 64 × 100, TBPTT with carried state,"
            + " global-norm clip 5; vocabulary: %s; tiny Shakespeare, validation on its last 10%%"
            + " (nats/char). Minutes of training wall clock, evaluations excluded; one after the other"
            + " on %d cores (load average %.2f at the end), %d thread(s) each.%n%n",
        dropout > 0 ? "dropout " + trim(dropout) + " between the layers" : "no dropout",
        vocabulary.equals("bytes") ? "the 256 byte values" : "the text's own characters",
        Runtime.getRuntime().availableProcessors(), loadAverage(), threads));
    sb.append("| minutes | unroll: validation (iteration) | ").append(torch.label())
        .append(": validation (iteration) |\n| ---: | ---: | ---: |\n");
    for (double m : marks(minutes, every)) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", trim(m), cell(at(ours.points(), m)),
          cell(at(torch.points(), m))));
    }
    sb.append(String.format(Locale.ROOT,
        "| iterations per minute | %.1f (%,d in %.2f min) | %.1f (%,d in %.2f min) |%n",
        ours.iterationsPerMinute(), ours.iterations(), ours.trainMinutes(), torch.iterationsPerMinute(),
        torch.iterations(), torch.trainMinutes()));
    sb.append("\nReproduce (from the repository root, after `mvn -B -pl examples,benchmarks -am package"
        + " -DskipTests`):\n\n```\n").append(command).append("\n```\n");
    return sb.toString();
  }

  private static String cell(Point p) {
    return p == null ? "–" : String.format(Locale.ROOT, "%.3f (%,d)", p.loss(), p.iteration());
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void plot(Path file, List<Run> runs) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(540)
        .title("Validation loss against minutes of training (side by side)")
        .xAxisTitle("minutes of training (evaluations excluded)").yAxisTitle("nats/char").build();
    chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
    Map<String, Run> byLabel = new LinkedHashMap<>();
    for (Run r : runs) {
      byLabel.put(String.format(Locale.ROOT, "%s (%.0f iterations/min)", r.label(), r.iterationsPerMinute()), r);
    }
    for (Map.Entry<String, Run> e : byLabel.entrySet()) {
      List<Point> ps = e.getValue().points();
      chart.addSeries(e.getKey(), ps.stream().mapToDouble(Point::minutes).toArray(),
          ps.stream().mapToDouble(Point::loss).toArray());
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
