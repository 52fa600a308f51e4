package dev.unroll.spark;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded inputs for the tests. */
final class TestData {
  private TestData() {}

  /** Token ids in [0, vocab), int64 [rows, steps]. */
  static INDArray tokens(SplittableRandom r, int rows, int steps, int vocab) {
    long[] v = new long[rows * steps];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt(vocab);
    }
    return Nd4j.createFromArray(v).reshape('c', rows, steps);
  }

  /** Standard normal features [rows, steps, features]. */
  static INDArray features(SplittableRandom r, int rows, int steps, int features, DataType type) {
    double[] v = new double[rows * steps * features];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian();
    }
    return Nd4j.createFromArray(v).reshape('c', rows, steps, features).castTo(type);
  }

  /** A [rows, steps] mask with a prefix of {@code lengths[r]} ones in row r. */
  static INDArray mask(int[] lengths, int steps, DataType type) {
    INDArray m = Nd4j.create(type, lengths.length, steps);
    for (int r = 0; r < lengths.length; r++) {
      for (int t = 0; t < lengths[r]; t++) {
        m.putScalar(r, t, 1);
      }
    }
    return m;
  }

  /** The largest absolute difference between two arrays of the same shape. */
  static double maxDiff(INDArray a, INDArray b) {
    return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
  }
}
