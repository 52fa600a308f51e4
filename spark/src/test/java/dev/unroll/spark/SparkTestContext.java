package dev.unroll.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The one Spark context of the test JVM: {@code local[2]}, started on first use, stopped at exit. */
final class SparkTestContext {
  private static JavaSparkContext context;

  private SparkTestContext() {}

  static synchronized JavaSparkContext get() {
    if (context == null) {
      SparkConf conf = new SparkConf()
          .setMaster("local[2]")
          .setAppName("unroll-spark tests")
          .set("spark.ui.enabled", "false")
          .set("spark.driver.host", "localhost")
          .set("spark.driver.bindAddress", "127.0.0.1");
      context = new JavaSparkContext(conf);
      context.setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
    }
    return context;
  }
}
