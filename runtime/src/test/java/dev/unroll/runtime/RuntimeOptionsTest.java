package dev.unroll.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.RuntimeOptions.Switch;
import dev.unroll.runtime.internal.FusedLstm;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RuntimeOptionsTest {

  private static Properties properties(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  @Test
  void unsetPropertiesGiveTheDefaults() {
    RuntimeOptions o = RuntimeOptions.fromProperties(new Properties());
    assertEquals(Switch.AUTO, o.fusedLstm());
    assertEquals(Switch.AUTO, o.directBlas());
    assertEquals(131072, o.maxJavaProduct());
    assertEquals(1024 * 1024, o.maxJavaVectorProduct());
    assertEquals(Runtime.getRuntime().availableProcessors() > 1, o.parallelDirections());
    assertEquals(1, o.nd4jMasterThreads());
    assertEquals(RuntimeOptions.AUTO_THREADS, o.blasThreads());
  }

  @Test
  void everySwitchIsRead() {
    RuntimeOptions o = RuntimeOptions.fromProperties(properties(RuntimeOptions.FUSED_LSTM, "false",
        RuntimeOptions.DIRECT_BLAS, " TRUE ", RuntimeOptions.MAX_JAVA_PRODUCT, "0",
        RuntimeOptions.PARALLEL_DIRECTIONS, "false", RuntimeOptions.ND4J_MASTER_THREADS, "keep",
        RuntimeOptions.BLAS_THREADS, "3"));
    assertEquals(Switch.OFF, o.fusedLstm());
    assertEquals(Switch.ON, o.directBlas());
    assertEquals(0, o.maxJavaProduct());
    assertEquals(0, o.maxJavaVectorProduct(), "0 means always native, for one row too");
    assertFalse(o.parallelDirections());
    assertEquals(RuntimeOptions.KEEP, o.nd4jMasterThreads());
    assertEquals(3, o.blasThreads());
    assertEquals("-Dunroll.fusedLstm=false -Dunroll.directBlas=true -Dunroll.maxJavaProduct=0"
        + " -Dunroll.parallelDirections=false -Dunroll.nd4jMasterThreads=keep -Dunroll.blasThreads=3",
        o.toString());
  }

  @Test
  void aBadValueNamesTheSwitchAndTheValue() {
    for (String[] bad : new String[][] {{RuntimeOptions.FUSED_LSTM, "sometimes"}, {RuntimeOptions.DIRECT_BLAS, "yes"},
        {RuntimeOptions.MAX_JAVA_PRODUCT, "lots"}, {RuntimeOptions.MAX_JAVA_PRODUCT, "-1"},
        {RuntimeOptions.ND4J_MASTER_THREADS, "0"}, {RuntimeOptions.ND4J_MASTER_THREADS, "auto"},
        {RuntimeOptions.BLAS_THREADS, "all"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RuntimeOptions.fromProperties(properties(bad)));
      assertTrue(e.getMessage().contains("-D" + bad[0]) && e.getMessage().contains(bad[1]), e.getMessage());
    }
  }

  @Test
  void theThreadSwitchesTakeACountOrKeep() {
    for (String property : new String[] {RuntimeOptions.ND4J_MASTER_THREADS, RuntimeOptions.BLAS_THREADS}) {
      assertEquals(1, RuntimeOptions.threads(property, "1"));
      assertEquals(4, RuntimeOptions.threads(property, " 4 "));
      assertEquals(RuntimeOptions.KEEP, RuntimeOptions.threads(property, "keep"));
      for (String bad : new String[] {"0", "-2", "all", ""}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> RuntimeOptions.threads(property, bad));
        assertTrue(e.getMessage().contains(property) && e.getMessage().contains("'" + bad + "'"), e.getMessage());
      }
    }
  }

  @Test
  @SuppressWarnings("try") // the scopes' bodies read what they set through current()
  void anOverrideLastsForItsScopeAndNests() {
    RuntimeOptions before = RuntimeOptions.current();
    try (RuntimeOptions.Scope outer = RuntimeOptions.override(o -> o.withFusedLstm(Switch.OFF))) {
      assertEquals(Switch.OFF, RuntimeOptions.current().fusedLstm());
      assertFalse(FusedLstm.enabled(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 64, 128));
      try (RuntimeOptions.Scope inner = RuntimeOptions.override(o -> o.withFusedLstm(Switch.ON).withMaxJavaProduct(7))) {
        assertTrue(FusedLstm.enabled(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 1, 128));
        assertEquals(7, RuntimeOptions.current().maxJavaProduct());
      }
      assertEquals(Switch.OFF, RuntimeOptions.current().fusedLstm());
      assertEquals(before.maxJavaProduct(), RuntimeOptions.current().maxJavaProduct());
    }
    assertSame(before, RuntimeOptions.current());
    RuntimeOptions.Scope once = RuntimeOptions.override(o -> o.withDirectBlas(Switch.OFF));
    RuntimeOptions.Scope later = RuntimeOptions.override(o -> o.withParallelDirections(false));
    later.close();
    once.close();
    once.close();
    assertSame(before, RuntimeOptions.current(), "closing twice restores once");
    assertEquals(Switch.ON, RuntimeOptions.with(o -> o.withDirectBlas(Switch.ON), () -> RuntimeOptions.current().directBlas()));
    assertSame(before, RuntimeOptions.current());
  }

  @Test
  void theStartUpLineNamesTheBuildThePathsAndTheThreads() {
    String line = RuntimeOptions.fromProperties(properties(RuntimeOptions.FUSED_LSTM, "false",
        RuntimeOptions.BLAS_THREADS, "keep")).describe();
    assertTrue(line.startsWith("unroll runtime: ") && line.contains("linux-x86_64"), line);
    assertTrue(line.contains("fused LSTM false (off)"), line);
    assertTrue(line.contains("libnd4j master threads 1") && line.contains("OpenBLAS threads kept"), line);
  }
}
