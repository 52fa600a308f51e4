package dev.unroll.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where results go by default. */
final class Results {
  private Results() {}

  /** {@code benchmarks/results} from the repository root, else {@code results} (from inside {@code benchmarks/}). */
  static Path defaultDirectory() {
    Path module = Path.of("benchmarks");
    return Files.isRegularFile(module.resolve("pom.xml")) ? module.resolve("results") : Path.of("results");
  }
}
