package dev.unroll.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training passes at the benchmark shapes, batch 1 and 64, in float32 against the same model in
 * float64. float32 products of a million multiply-adds or more run on libnd4j's matmul, which the
 * default jar runs on oneDNN, and oneDNN chooses its kernels by CPU and size; the build runs this
 * class a second time with oneDNN limited to AVX2 ({@code DNNL_MAX_CPU_ISA=AVX2}, Surefire execution
 * {@code fused-lstm-avx2}), so every native product path of a training step runs on both ISAs at the
 * sizes users train at. The float64 model takes OpenBLAS: the two agree to float32 accuracy.
 */
class NativePathsTest {
  @ParameterizedTest(name = "{0} at batch {1}")
  @CsvSource({"a, 1", "a, 64", "b, 1", "b, 64", "d, 1", "d, 64", "bidirectional two-layer, 1",
      "bidirectional two-layer, 64"})
  void float32TrainingPassMatchesFloat64(String shape, int batch) {
    BiFunction<Long, DataType, RecurrentModel> factory;
    int features;
    int steps;
    boolean perStep;
    switch (shape) {
      case "a" -> {
        factory = UnrolledBenchmarkShapes_A::new;
        features = 64;
        steps = 50;
        perStep = false;
      }
      case "b" -> {
        factory = UnrolledBenchmarkShapes_B::new;
        features = 128;
        steps = 100;
        perStep = true;
      }
      case "d" -> {
        factory = UnrolledBenchmarkShapes_D::new;
        features = 256;
        steps = 35;
        perStep = true;
      }
      default -> {
        factory = UnrolledBenchmarkShapes_BidirectionalTwoLayer::new;
        features = 64;
        steps = 50;
        perStep = true;
      }
    }
    Nd4j.getRandom().setSeed(31L * batch + steps);
    INDArray x = Nd4j.rand(DataType.DOUBLE, batch, steps, features).subi(0.5).muli(2);
    INDArray y = perStep
        ? Nd4j.rand(DataType.DOUBLE, batch, steps).muli(10).castTo(DataType.INT64)
        : Nd4j.rand(DataType.DOUBLE, batch).muli(10).castTo(DataType.INT64);
    RecurrentModel single = factory.apply(7L, DataType.FLOAT);
    RecurrentModel reference = factory.apply(7L, DataType.DOUBLE);
    System.out.println("NativePathsTest: shape " + shape + ", batch " + batch + ", steps " + steps);
    System.out.flush();
    Gradients g32 = single.gradients(x.castTo(DataType.FLOAT), y);
    Gradients g64 = reference.gradients(x, y);
    assertEquals(g64.loss(), g32.loss(), 1e-4 * Math.abs(g64.loss()), shape + ": loss");
    g64.asMap().forEach((name, expected) -> {
      INDArray actual = g32.get(name).castTo(DataType.DOUBLE);
      double scale = expected.amaxNumber().doubleValue();
      double diff = expected.sub(actual).amaxNumber().doubleValue();
      assertTrue(scale > 0, shape + " " + name + ": the comparison needs a non-zero gradient");
      assertTrue(diff <= 2e-3 * scale, shape + " " + name + ": max |float32 - float64| = " + diff + " of " + scale);
    });
  }
}
