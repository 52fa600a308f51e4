package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Java products of small steps equal ND4J's, on whole arrays and on the views generated models pass. */
class RecurrentWeightTest {

  @Test
  void javaProductsMatchNative() {
    Nd4j.getRandom().setSeed(3);
    for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray parameter = Nd4j.rand(dt, 12, 4).subi(0.5);
      // a row block of the parameter, as GRU's W_h{r,z}, and the whole parameter
      for (INDArray w : new INDArray[] {parameter, Views.rows(parameter, 0, 8)}) {
        int out = (int) w.size(0);
        RecurrentWeight rw = new RecurrentWeight(w);
        rw.refresh(2);
        assertTrue(rw.java(), "2 × " + out + " × 4 is small");
        INDArray seq = Nd4j.rand(dt, 6, 4).subi(0.5);
        INDArray a = Views.rows(seq, 2, 4);
        INDArray cSeq = Nd4j.rand(dt, 6, out);
        INDArray c = Views.rows(cSeq, 4, 6);
        INDArray expected = c.dup().addi(a.mmul(w.transpose()));
        Ops.addTimesTransposed(c, a, rw);
        close(expected, c, dt + " addTimesTransposed");
        Ops.timesTransposed(c, a, rw);
        close(a.mmul(w.transpose()), c, dt + " timesTransposed");
        INDArray g = Nd4j.rand(dt, 2, out).subi(0.5);
        INDArray d = Nd4j.create(dt, 2, 4);
        Ops.product(d, g, rw);
        close(g.mmul(w), d, dt + " product");
      }
    }
  }

  @Test
  void largeProductsStayNativeAndRefreshSeesNewWeights() {
    INDArray w = Nd4j.rand(DataType.DOUBLE, 256, 64);
    RecurrentWeight rw = new RecurrentWeight(w);
    rw.refresh(32);
    assertFalse(rw.java(), "32 × 256 × 64 runs natively");
    INDArray a = Nd4j.rand(DataType.DOUBLE, 32, 64);
    INDArray c = Nd4j.create(DataType.DOUBLE, 32, 256);
    Ops.timesTransposed(c, a, rw);
    close(a.mmul(w.transpose()), c, "native timesTransposed");

    rw.refresh(1);
    assertTrue(rw.java());
    INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 64);
    INDArray y = Nd4j.create(DataType.DOUBLE, 1, 256);
    w.muli(2);  // a training step changes the weight: the copy is refreshed per pass
    rw.refresh(1);
    Ops.timesTransposed(y, x, rw);
    close(x.mmul(w.transpose()), y, "after refresh");
  }

  /**
   * Float32 products large enough for libnd4j's {@code matmul} (on the oneDNN jar) run on a contiguous
   * copy of {@code Wᵀ}: at the benchmark sizes (batch 1 to 64, hidden up to 512), on the whole weight
   * and on a row block (GRU's {@code W_h{r,z}}), and the copy follows the weight from pass to pass.
   */
  @Test
  void nativeFloatProductsOnTheTransposedCopyFollowTheWeight() {
    Nd4j.getRandom().setSeed(5);
    for (int[] size : new int[][] {{64, 512}, {32, 128}, {32, 256}, {8, 256}, {1, 512}, {65, 96}}) {
      int batch = size[0];
      int hidden = size[1];
      INDArray parameter = Nd4j.rand(DataType.FLOAT, 4L * hidden, hidden).subi(0.5);
      for (INDArray w : new INDArray[] {parameter, Views.rows(parameter, 0, 2 * hidden)}) {
        RecurrentWeight rw = new RecurrentWeight(w);
        for (int pass = 0; pass < 2; pass++) {
          rw.refresh(batch);
          INDArray hSeq = Nd4j.rand(DataType.FLOAT, 3L * batch, hidden).subi(0.5);
          INDArray h = Views.rows(hSeq, batch, 2L * batch);
          INDArray aSeq = Nd4j.rand(DataType.FLOAT, 2L * batch, w.size(0));
          INDArray a = Views.rows(aSeq, batch, 2L * batch);
          INDArray expected = a.dup().addi(h.mmul(w.transpose()));
          Ops.addTimesTransposed(a, h, rw);
          String what = batch + " × " + hidden + " × " + w.size(0) + ", pass " + pass;
          closeRelative(expected, a, what + " addTimesTransposed");
          Ops.timesTransposed(a, h, rw);
          closeRelative(h.mmul(w.transpose()), a, what + " timesTransposed");
          w.muli(-1.5);  // a training step between passes
        }
      }
    }
  }

  /** One weight used natively, then in Java (batch 1), then natively again, as a model's passes may. */
  @Test
  void nativeAndJavaPassesAlternate() {
    Nd4j.getRandom().setSeed(6);
    INDArray w = Nd4j.rand(DataType.FLOAT, 512, 128).subi(0.5);
    RecurrentWeight rw = new RecurrentWeight(w);
    for (int batch : new int[] {64, 1, 64, 1}) {
      rw.refresh(batch);
      assertEquals(batch == 1, rw.java(), "batch " + batch);
      INDArray h = Nd4j.rand(DataType.FLOAT, batch, 128).subi(0.5);
      INDArray a = Nd4j.rand(DataType.FLOAT, batch, 512);
      INDArray expected = a.dup().addi(h.mmul(w.transpose()));
      Ops.addTimesTransposed(a, h, rw);
      closeRelative(expected, a, "batch " + batch + " addTimesTransposed");
      INDArray g = Nd4j.rand(DataType.FLOAT, batch, 512).subi(0.5);
      INDArray d = Nd4j.create(DataType.FLOAT, batch, 128);
      Ops.product(d, g, rw);
      closeRelative(g.mmul(w), d, "batch " + batch + " product");
      w.muli(0.9);
    }
  }

  private static void closeRelative(INDArray expected, INDArray actual, String what) {
    double scale = Math.max(1, expected.castTo(DataType.DOUBLE).norm2Number().doubleValue());
    double err = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
    assertTrue(err < 1e-5 * scale, what + ": difference " + err + " (norm " + scale + ")");
  }

  private static void close(INDArray expected, INDArray actual, String what) {
    double err = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
    double tol = expected.dataType() == DataType.FLOAT ? 1e-5 : 1e-12;
    assertTrue(err < tol, what + ": difference " + err);
  }
}
