package dev.unroll.examples.charlm;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * {@code char-lm train --spark}: training whose gradients are computed on a cluster. This tool has
 * none; the spark module provides one (found with {@link ServiceLoader}) in the jars it builds.
 */
public interface ClusterTraining {

  /**
   * Trains as {@code settings} say, the gradients of every step computed over {@code partitions}
   * partitions of the cluster at {@code master}, printing progress to {@code out}.
   */
  CharLmTraining.Summary train(
      CharLmTraining.Settings settings, String master, int partitions, PrintWriter out) throws IOException;

  /** The implementation on the classpath, if any. */
  static Optional<ClusterTraining> find() {
    return ServiceLoader.load(ClusterTraining.class).findFirst();
  }
}
