package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.charlm.ModelChoice;
import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.training.GradientClipping;
import dev.unroll.training.Tbptt;
import dev.unroll.training.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The per-step cost of the Spark path on {@code local[2]} against the single-process step, for the
 * small and medium char-LM models at the main job's batch (32 × 64, TBPTT, clip 5, Adam): medians of
 * 10 steps after 3 warm-up steps. Run on demand (it takes about a minute and prints a table, also
 * written to {@code target/spark-overhead.md}):
 *
 * <pre>
 * mvn -B -o test -pl spark -am -Dtest=StepOverheadMeasurement -Dunroll.spark.measure=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "unroll.spark.measure", matches = "true")
class StepOverheadMeasurement {

  private static final int BATCH = 32;
  private static final int STEPS = 64;
  private static final int WARMUP = 3;
  private static final int MEASURED = 10;

  private final JavaSparkContext spark = SparkTestContext.get();

  /** Median milliseconds of a whole step (gradients, clip, Adam), and the median report of Spark's steps. */
  private record Timing(double stepMillis, SparkDataParallel.StepReport report) {}

  private static Timing time(StatefulModel<?> model) {
    SplittableRandom r = new SplittableRandom(1);
    Tbptt<?> tbptt = Tbptt.of(model, STEPS);
    Adam adam = new Adam(2e-3);
    double[] millis = new double[MEASURED];
    SparkDataParallel.StepReport[] reports = new SparkDataParallel.StepReport[MEASURED];
    for (int i = 0; i < WARMUP + MEASURED; i++) {
      INDArray x = TestData.tokens(r, BATCH, STEPS, 256);
      INDArray y = TestData.tokens(r, BATCH, STEPS, 256);
      long t0 = System.nanoTime();
      model.seedDropout(i);
      Gradients g = tbptt.gradients(x, y, null);
      GradientClipping.clipGlobalNorm(g.asMap(), 5);
      adam.step(model.parameters(), g.asMap());
      long t1 = System.nanoTime();
      if (i >= WARMUP) {
        millis[i - WARMUP] = (t1 - t0) / 1e6;
        if (model instanceof SparkDataParallel p) {
          reports[i - WARMUP] = p.lastStep();
        }
      }
    }
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    double median = sorted[MEASURED / 2];
    SparkDataParallel.StepReport medianReport = null;
    for (int i = 0; i < MEASURED; i++) {
      if (millis[i] == median) {
        medianReport = reports[i];
      }
    }
    return new Timing(median, medianReport);
  }

  @Test
  void measure() throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("| model | parameters | path | step ms | broadcast ms | job ms | slowest shard ms | combine ms "
        + "| overhead ms | broadcast MB | results MB |\n");
    md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (ModelChoice choice : new ModelChoice[] {ModelChoice.SMALL, ModelChoice.MEDIUM}) {
      long parameters = 0;
      for (INDArray p : choice.create(42).parameters().values()) {
        parameters += p.length();
      }
      Timing local = time(choice.create(42));
      md.append(String.format(Locale.ROOT, "| %s | %,d | one process | %.1f | | | | | | | |%n",
          choice.label(), parameters, local.stepMillis()));
      for (int partitions : new int[] {1, 2}) {
        Timing t = time((StatefulModel<?>) SparkDataParallel.of(spark, choice.create(42), partitions));
        SparkDataParallel.StepReport s = t.report();
        double overhead = s.broadcastMillis() + (s.jobMillis() - s.computeMillis()) + s.combineMillis();
        md.append(String.format(Locale.ROOT,
            "| %s | %,d | Spark local[2], %d partition%s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f |%n",
            choice.label(), parameters, partitions, partitions == 1 ? "" : "s", t.stepMillis(),
            s.broadcastMillis(), s.jobMillis(), s.computeMillis(), s.combineMillis(), overhead,
            s.broadcastBytes() / 1e6, s.resultBytes() / 1e6));
        assertTrue(overhead > 0 && t.stepMillis() > s.computeMillis(), md.toString());
      }
    }
    System.out.println(md);
    Path out = Path.of("target", "spark-overhead.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
  }
}
