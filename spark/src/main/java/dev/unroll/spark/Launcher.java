package dev.unroll.spark;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The main class of {@code unroll-spark.jar}: runs the examples' command-line tool with Spark on the
 * class path, from the jars beside it ({@code unroll-spark-submit.jar}, and Spark's in {@code lib/}),
 * so that {@code java -jar unroll-spark.jar char-lm train --spark local[2]} needs no Spark installation.
 * Spark's jars stay as they are (not merged into one), with their service files and signatures; the
 * jar's manifest opens the JDK packages Spark reflects on ({@code Add-Opens}).
 */
public final class Launcher {
  private Launcher() {}

  /** Starts {@code dev.unroll.examples.Main} with {@code args}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getParent();
    Path submit = dir.resolve("unroll-spark-submit.jar");
    Path lib = dir.resolve("lib");
    if (!Files.isRegularFile(submit) || !Files.isDirectory(lib)) {
      System.err.println("unroll-spark.jar runs with unroll-spark-submit.jar and lib/ beside it (Spark's "
          + "jars), but " + (Files.isRegularFile(submit) ? "lib/" : "unroll-spark-submit.jar")
          + " is missing: build them with mvn package -pl spark -am, and copy all three together");
      System.exit(1);
    }
    List<URL> urls = new ArrayList<>();
    urls.add(submit.toUri().toURL());
    urls.addAll(jars(lib));
    URLClassLoader loader =
        new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    try {
      Class.forName("dev.unroll.examples.Main", true, loader)
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static List<URL> jars(Path lib) throws IOException, URISyntaxException {
    List<URL> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(lib)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        out.add(url(p));
      }
    }
    return out;
  }

  private static URL url(Path p) throws MalformedURLException {
    return p.toUri().toURL();
  }
}
