package dev.unroll.examples.hello;

import dev.unroll.runtime.Gradients;
import dev.unroll.training.Sampler;
import dev.unroll.training.optim.Adam;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.unroll.examples.Threads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lectures' smallest example: a recurrent network over the four characters h, e, l, o learns to
 * continue "hello": reading "hell" it predicts "ello", one next character per step.
 */
@Command(
    name = "hello",
    mixinStandardHelpOptions = true,
    description = {
      "Trains a tiny RNN to continue \"hello\" over the vocabulary h, e, l, o (seconds),",
      "prints the loss falling and the prediction for \"hell\", and shows the class javac generated."
    })
public final class HelloCommand implements Callable<Integer> {

  /** The vocabulary: the id of a character is its index here. */
  public static final String VOCABULARY = "helo";

  /** Where Maven writes the generated source of {@link HelloModel}. */
  public static final String GENERATED_SOURCE =
      "target/generated-sources/annotations/dev/unroll/examples/hello/UnrolledHelloModel.java";

  /** The same source, shipped inside the jar by the build. */
  static final String GENERATED_RESOURCE =
      "/generated-sources/dev/unroll/examples/hello/UnrolledHelloModel.java";

  @Spec CommandSpec spec;

  @Mixin Threads threads;

  @Option(names = "--iterations", defaultValue = "60", description = "Adam steps (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--lr", defaultValue = "0.01", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--seed", defaultValue = "1", description = "Initialisation seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--no-source", description = "Do not print the excerpt of the generated source.")
  boolean noSource;

  /**
   * What a run learned.
   *
   * @param losses the loss after every step, first to last
   * @param prediction the most likely next character at each step of "hell"
   * @param continuation four characters generated greedily after "h"
   */
  public record Outcome(double[] losses, String prediction, String continuation) {}

  @Override
  public Integer call() throws IOException {
    threads.apply();
    PrintWriter out = spec.commandLine().getOut();
    out.println("Vocabulary h, e, l, o (ids 0 to 3). Input \"hell\", targets \"ello\": each step predicts the next character.");
    out.println("Model: @Rnn(hidden = 16) @Embedding(vocab = 4, dim = 4) @ManyToMany @Output(4) interface HelloModel");
    out.print(UnrolledHelloModel.COST.summary());
    out.println();
    Outcome o = train(iterations, lr, seed, out);
    out.println();
    out.printf(Locale.ROOT, "prediction for \"hell\": \"%s\"%n", o.prediction());
    out.printf(Locale.ROOT, "generated after \"h\":   \"h%s\"%n", o.continuation());
    if (!noSource) {
      out.println();
      showSource(out);
    }
    out.flush();
    return o.prediction().equals("ello") ? 0 : 1;
  }

  /** Ids of a string over {@link #VOCABULARY}, as int64 {@code [1, T]}. */
  static INDArray ids(String text) {
    long[] v = new long[text.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = VOCABULARY.indexOf(text.charAt(i));
      if (v[i] < 0) {
        throw new IllegalArgumentException("'" + text.charAt(i) + "' is not one of h, e, l, o");
      }
    }
    return Nd4j.create(v, new long[] {1, v.length}, DataType.INT64);
  }

  /**
   * Trains a fresh model with Adam on the one example and reports what it learned.
   *
   * @param log where to print the loss every fifth step, or null
   */
  public static Outcome train(int iterations, double lr, long seed, PrintWriter log) {
    UnrolledHelloModel model = new UnrolledHelloModel(seed);
    Adam adam = new Adam(lr);
    INDArray x = ids("hell");
    INDArray y = ids("ello");
    double[] losses = new double[iterations];
    for (int it = 0; it < iterations; it++) {
      Gradients g = model.gradients(x, y);           // loss and BPTT gradients of every parameter
      adam.step(model.parameters(), g.asMap());      // update in place
      losses[it] = g.loss();
      if (log != null && (it == 0 || (it + 1) % 5 == 0)) {
        log.printf(Locale.ROOT, "step %4d   loss %.4f  %s%n", it + 1, g.loss(), bar(g.loss()));
      }
      g.release();                                   // the model reuses the arrays next step
    }
    INDArray logits = model.forward(x);               // [1, 4, 4]
    StringBuilder prediction = new StringBuilder();
    for (long t = 0; t < logits.size(1); t++) {
      prediction.append(VOCABULARY.charAt(argmax(logits.slice(0).getRow(t).toDoubleVector())));
    }
    int[] next = new Sampler<>(model).sample(new int[] {0}, Sampler.Options.greedy(4));
    StringBuilder continuation = new StringBuilder();
    for (int id : next) {
      continuation.append(VOCABULARY.charAt(id));
    }
    return new Outcome(losses, prediction.toString(), continuation.toString());
  }

  private static String bar(double loss) {
    int n = (int) Math.round(Math.min(loss, 2.0) * 20);
    return "#".repeat(n);
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The generated source's text: from the jar, else from the build directory; null if neither. */
  static List<String> generatedSource() throws IOException {
    try (InputStream in = HelloCommand.class.getResourceAsStream(GENERATED_RESOURCE)) {
      if (in != null) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      }
    }
    for (Path p : List.of(Path.of(GENERATED_SOURCE), Path.of("examples").resolve(GENERATED_SOURCE))) {
      if (Files.isReadable(p)) {
        return Files.readAllLines(p, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /**
   * The class comment's summary block, the step method of the generated class, and the float
   * element-wise method it calls ({@code rnnStepFloat}).
   */
  static List<String> excerpt(List<String> lines) {
    List<String> out = new ArrayList<>();
    int pre = indexOf(lines, " * <pre>", 0);
    int end = indexOf(lines, " * </pre>", pre);
    if (pre >= 0 && end > pre) {
      out.addAll(lines.subList(pre, end + 1));
      out.add("...");
    }
    int decl = indexOf(lines, "public final class ", 0);
    while (decl >= 0 && decl < lines.size()) {
      String line = lines.get(decl++);
      out.add(line.replaceAll("\\{\\s*$", "{ ..."));
      if (line.endsWith("{")) {
        break;
      }
    }
    List<String> step = method(lines, "private void step(");
    out.addAll(step);
    for (String line : step) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+Float)\\(").matcher(line);
      if (m.find()) {
        out.add("");
        out.addAll(method(lines, "private void " + m.group(1) + "("));
        break;
      }
    }
    return out;
  }

  /** The method declared on the line containing {@code declaration}, to its closing brace; empty if none. */
  private static List<String> method(List<String> lines, String declaration) {
    List<String> out = new ArrayList<>();
    int i = indexOf(lines, declaration, 0);
    if (i < 0) {
      return out;
    }
    while (i < lines.size() && !lines.get(i).equals("  }")) {
      out.add(lines.get(i++));
    }
    out.add("  }");
    return out;
  }

  private static int indexOf(List<String> lines, String text, int from) {
    if (from < 0) {
      return -1;
    }
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    return -1;
  }

  private static void showSource(PrintWriter out) throws IOException {
    out.println("javac generated the class from the annotations: its source is at");
    out.println("  examples/" + GENERATED_SOURCE);
    out.println("(also inside the jar as " + GENERATED_RESOURCE.substring(1) + "). An excerpt:");
    out.println();
    List<String> lines = generatedSource();
    if (lines == null) {
      out.println("  (not found: build with mvn install to generate it)");
      return;
    }
    for (String line : excerpt(lines)) {
      out.println("  " + line);
    }
    out.printf(Locale.ROOT, "%n(%d lines in all: forward, backward through time, state in and out.)%n",
        lines.size());
  }
}
