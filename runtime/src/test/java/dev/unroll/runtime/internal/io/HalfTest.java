package dev.unroll.runtime.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HalfTest {

  @Test
  void halfPrecisionConversionsRoundToNearestEven() {
    assertEquals(0x3c00, Half.fromFloat(1f) & 0xffff);
    assertEquals(0xc000, Half.fromFloat(-2f) & 0xffff);
    assertEquals(0x7bff, Half.fromFloat(65504f) & 0xffff);
    assertEquals(0x7c00, Half.fromFloat(65520f) & 0xffff); // rounds up to infinity
    assertEquals(0x0001, Half.fromFloat(5.9604645e-8f) & 0xffff);
    assertEquals(0x0000, Half.fromFloat(2.9802322e-8f) & 0xffff); // tie to even: 0
    assertEquals(0x3c00, Half.fromFloat(1f + 0x1p-11f) & 0xffff); // tie to even: 1
    assertEquals(0x3c02, Half.fromFloat(1f + 3 * 0x1p-11f) & 0xffff); // tie to even: up
    assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN) & 0xffff)));
    for (int h = 0; h < 0x10000; h++) {
      float f = Half.toFloat(h);
      if (!Float.isNaN(f)) {
        assertEquals(h, Half.fromFloat(f) & 0xffff, "half bits " + Integer.toHexString(h));
      }
    }
  }
}
