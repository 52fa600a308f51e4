package dev.unroll.examples.activity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.activity.ActivityData.Recording;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivityDataTest {

  @Test
  void sameSeed_givesTheSameRecordings() {
    List<Recording> a = ActivityData.generate(300, 11);
    List<Recording> b = ActivityData.generate(300, 11);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).label(), b.get(i).label());
      assertEquals(a.get(i).length(), b.get(i).length());
      for (int t = 0; t < a.get(i).length(); t++) {
        assertArrayEquals(a.get(i).steps()[t], b.get(i).steps()[t]);
      }
    }
  }

  @Test
  void anotherSeed_givesOtherRecordings() {
    Recording a = ActivityData.generate(10, 1).get(0);
    Recording b = ActivityData.generate(10, 2).get(0);
    assertFalse(a.length() == b.length() && a.steps()[0][0] == b.steps()[0][0]);
  }

  @Test
  void classesAreBalanced() {
    assertArrayEquals(new int[] {334, 333, 333}, ActivityData.counts(ActivityData.generate(1000, 7)));
    assertArrayEquals(new int[] {100, 100, 100}, ActivityData.counts(ActivityData.generate(300, 3)));
  }

  @Test
  void lengthsSpanTenToFiftyAndDoNotTellTheClass() {
    List<Recording> data = ActivityData.generate(3000, 5);
    int min = Integer.MAX_VALUE;
    int max = 0;
    double[] sum = new double[3];
    int[] n = new int[3];
    for (Recording r : data) {
      min = Math.min(min, r.length());
      max = Math.max(max, r.length());
      sum[r.label()] += r.length();
      n[r.label()]++;
      for (double[] step : r.steps()) {
        assertEquals(ActivityData.FEATURES, step.length);
      }
    }
    assertEquals(ActivityData.MIN_LENGTH, min);
    assertEquals(ActivityData.MAX_LENGTH, max);
    for (int c = 0; c < 3; c++) {
      // the mean length of every class is within 1.5 steps of the overall mean of 30
      assertEquals(30, sum[c] / n[c], 1.5, "class " + c);
    }
  }

  @Test
  void perChannelMeansAndSpreadsDoNotTellTheClass() {
    List<Recording> data = ActivityData.generate(3000, 9);
    double[][] mean = new double[3][ActivityData.FEATURES];
    double[][] square = new double[3][ActivityData.FEATURES];
    long[] steps = new long[3];
    for (Recording r : data) {
      for (double[] s : r.steps()) {
        for (int f = 0; f < s.length; f++) {
          mean[r.label()][f] += s[f];
          square[r.label()][f] += s[f] * s[f];
        }
        steps[r.label()]++;
      }
    }
    for (int f = 0; f < ActivityData.FEATURES; f++) {
      for (int c = 1; c < 3; c++) {
        assertEquals(mean[0][f] / steps[0], mean[c][f] / steps[c], 0.05, "mean of channel " + f);
        assertEquals(square[0][f] / steps[0], square[c][f] / steps[c], 0.06, "power of channel " + f);
      }
    }
    assertTrue(steps[0] > 0);
  }
}
