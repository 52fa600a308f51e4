package dev.unroll.benchmarks;

import dev.unroll.runtime.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * PyTorch CPU eager, through {@code torch_bench.py} (shipped on the classpath under {@code python/})
 * in a child process: the Java side writes each workload's weights and inputs to an {@code .npz}, the
 * script times the same three operations and prints JSON.
 */
final class TorchRunner {
  private final String python;
  private final Path work;
  private final List<Map<String, Object>> spec = new ArrayList<>();

  private TorchRunner(String python, Path work) {
    this.python = python;
    this.work = work;
  }

  /** PyTorch's timings of one workload; {@code NaN} where the script reported none. */
  /**
   * One workload's figures, each the faster of PyTorch's two layouts; {@code layouts} says which, and
   * the other's figure ("forward: time-major 7.10 (batch-first 8.80)").
   */
  record Result(double forwardMs, double fwdBwdMs, double trainMs, double logitsMaxAbsDiff, String layouts) {}

  /** Everything the script printed. */
  record Report(String version, int threads, String blas, Map<String, Result> results) {}

  /**
   * A runner, if some Python can {@code import torch}: {@code python} if given, else {@code python3},
   * then {@code /usr/bin/python3}. Empty, with the reason printed, otherwise.
   */
  static Optional<TorchRunner> find(String python, Path work) throws IOException {
    List<String> candidates = python != null ? List.of(python) : List.of("python3", "/usr/bin/python3");
    for (String candidate : candidates) {
      if (importsTorch(candidate)) {
        Files.createDirectories(work);
        return Optional.of(new TorchRunner(candidate, work));
      }
    }
    System.err.println("PyTorch skipped: none of " + candidates + " can 'import torch' "
        + "(install it, e.g. apt-get install python3-torch, or pass --python)");
    return Optional.empty();
  }

  private static boolean importsTorch(String python) {
    try {
      Process p = new ProcessBuilder(python, "-c", "import torch")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Adds a workload: its parameters (as at the start), input, targets and the generated model's logits. */
  void add(Workload w, Map<String, INDArray> parameters, INDArray x, INDArray y, INDArray logits)
      throws IOException {
    Path npz = work.resolve(w.id() + ".npz");
    Map<String, INDArray> arrays = new LinkedHashMap<>(parameters);
    arrays.put("x", x);
    arrays.put("y", y);
    arrays.put("logits", logits);
    Npz.write(npz, arrays);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("id", w.id());
    entry.put("cell", w.cell().name().toLowerCase(Locale.ROOT));
    entry.put("features", w.features());
    entry.put("hidden", w.hidden());
    entry.put("layers", w.layers());
    entry.put("classes", w.classes());
    entry.put("many_to_many", w.manyToMany());
    entry.put("dtype", w.dataType() == DataType.DOUBLE ? "float64" : "float32");
    entry.put("lr", SgdStep.LEARNING_RATE);
    entry.put("npz", npz.toAbsolutePath().toString());
    spec.add(entry);
  }

  /** Runs the script over every added workload with {@code threads} threads. */
  Report run(int threads, int warmup, int reps, double maxSeconds) throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    Path specFile = work.resolve("spec.json");
    json.writeValue(specFile.toFile(), spec);
    Path script = work.resolve("torch_bench.py");
    try (InputStream in = TorchRunner.class.getResourceAsStream("/python/torch_bench.py")) {
      if (in == null) {
        throw new IOException("python/torch_bench.py is not on the classpath");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--spec", specFile.toString(),
        "--threads", Integer.toString(threads), "--warmup", Integer.toString(warmup),
        "--reps", Integer.toString(reps), "--max-seconds", Double.toString(maxSeconds))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    Process p = pb.start();
    String out;
    try (InputStream stdout = p.getInputStream()) {
      out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
    }
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IOException("torch_bench.py exited with " + rc + ": " + out);
    }
    JsonNode root = json.readTree(out.substring(out.indexOf('{')));
    Map<String, Result> results = new LinkedHashMap<>();
    root.get("results").fields().forEachRemaining(e -> {
      JsonNode r = e.getValue();
      results.put(e.getKey(), new Result(num(r, "forward"), num(r, "fwd_bwd"), num(r, "train"),
          num(r, "logits_max_abs_diff"), layouts(r)));
    });
    return new Report(root.get("torch").asText(), root.get("threads").asInt(),
        root.path("blas").asText("unknown"), results);
  }

  /** "forward: time-major 7.10 (batch-first 8.80); fwd+bwd: ...", from the per-layout figures. */
  private static String layouts(JsonNode r) {
    StringBuilder sb = new StringBuilder();
    String[][] ops = {{"forward", "forward"}, {"fwd_bwd", "fwd+bwd"}, {"train", "train step"}};
    for (String[] op : ops) {
      JsonNode best = r.get(op[0] + "_layout");
      if (best == null) {
        continue;
      }
      String winner = best.asText();
      String other = winner.equals("time-major") ? "batch-first" : "time-major";
      sb.append(sb.length() == 0 ? "" : "; ").append(String.format(java.util.Locale.ROOT, "%s: %s %.2f (%s %.2f)",
          op[1], winner, num(r, op[0] + "_" + winner), other, num(r, op[0] + "_" + other)));
    }
    return sb.toString();
  }

  private static double num(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Double.NaN : v.asDouble();
  }
}
