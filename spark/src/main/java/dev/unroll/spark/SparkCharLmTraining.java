package dev.unroll.spark;

import dev.unroll.examples.charlm.CharLmTraining;
import dev.unroll.examples.charlm.ClusterTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code char-lm train --spark MASTER --partitions N}: the examples' training run with each step's
 * gradients computed by {@link SparkDataParallel}. Found by the command-line tool with
 * {@link java.util.ServiceLoader} in the jars this module builds. It joins the Spark context already
 * running in the JVM (as under {@code spark-submit} or in tests) or starts one and stops it at the end.
 */
public final class SparkCharLmTraining implements ClusterTraining {

  @Override
  public CharLmTraining.Summary train(
      CharLmTraining.Settings settings, String master, int partitions, PrintWriter out)
      throws IOException {
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, but is " + partitions);
    }
    if (partitions > settings.batch()) {
      throw new IllegalArgumentException(
          "--partitions " + partitions + " exceeds --batch " + settings.batch()
              + ": every partition needs at least one row of the batch; use --partitions "
              + settings.batch() + " or less");
    }
    SparkConf conf = new SparkConf().setAppName("unroll char-lm train").setMaster(master);
    long before = System.currentTimeMillis();
    SparkContext context;
    try {
      context = SparkContext.getOrCreate(conf);
    } catch (Exception e) { // Scala's SparkException is checked in Java terms
      throw new IllegalArgumentException("Spark could not start with --spark " + master + ": " + e.getMessage()
          + "; give local[N], spark://host:7077, yarn or k8s://https://host:port", e);
    }
    boolean started = context.startTime() >= before;
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(context);
    try {
      String where = String.format(Locale.ROOT,
          "on Spark (%s), the batch of %d rows split over %d partitions; each step synchronous "
              + "(dropout masks drawn per partition)",
          spark.master(), settings.batch(), partitions);
      return CharLmTraining.train(
          settings, out, where, model -> SparkDataParallel.of(spark, model, partitions));
    } finally {
      if (started) {
        spark.stop();
      }
    }
  }
}
