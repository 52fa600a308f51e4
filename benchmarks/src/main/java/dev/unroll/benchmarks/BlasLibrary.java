package dev.unroll.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Which OpenBLAS build runs the products, for reports. ND4J loads the one bundled in
 * {@code org.bytedeco:openblas}; a system OpenBLAS named in {@code LD_PRELOAD} takes its place (its
 * symbols are found first), which is how a run is made on the same BLAS build as PyTorch's.
 */
final class BlasLibrary {
  private BlasLibrary() {}

  /** E.g. {@code OpenBLAS bundled with ND4J (org.bytedeco:openblas 0.3.19-1.5.7)}. */
  static String describe() {
    String preload = System.getenv().getOrDefault("LD_PRELOAD", "");
    for (String lib : preload.split("[: ]")) {
      if (lib.contains("openblas")) {
        return "the system's OpenBLAS through LD_PRELOAD=" + lib + " (in place of the one bundled with ND4J)";
      }
    }
    return "OpenBLAS bundled with ND4J (org.bytedeco:openblas " + bundledVersion() + ")";
  }

  private static String bundledVersion() {
    try (InputStream in = BlasLibrary.class.getResourceAsStream("/META-INF/maven/org.bytedeco/openblas/pom.properties")) {
      if (in == null) {
        return "version unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "version unknown");
    } catch (IOException e) {
      return "version unknown";
    }
  }
}
