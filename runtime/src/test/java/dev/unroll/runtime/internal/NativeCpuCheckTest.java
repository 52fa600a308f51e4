package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4jBackend;

/** Choosing ND4J's native build from simulated {@code /proc/cpuinfo} flags. */
class NativeCpuCheckTest {

  /** A Haswell-era CPU's flags line, as /proc/cpuinfo shows it (abridged). */
  private static final String AVX2_CPU = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat"
      + " pse36 clflush mmx fxsr sse sse2 ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl"
      + " xtopology cpuid pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave"
      + " avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch fsgsbase bmi1 avx2 smep bmi2 erms invpcid";
  /** A Sandy Bridge CPU's: AVX but no AVX2. */
  private static final String AVX_CPU = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat"
      + " pse36 clflush mmx fxsr sse sse2 ht syscall nx rdtscp lm constant_tsc nopl pni pclmulqdq ssse3"
      + " cx16 sse4_1 sse4_2 x2apic popcnt aes xsave avx hypervisor lahf_lm";
  /** An Atom-class CPU's: SSE4.2 only. */
  private static final String SSE_CPU = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat"
      + " clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc pni ssse3 cx16 sse4_1 sse4_2 popcnt";
  /** A Skylake-SP CPU's, AVX-512 included. */
  private static final String AVX512_CPU = AVX2_CPU
      + " avx512f avx512dq rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl";

  private static final Predicate<String> ONEDNN_AVX2_ONLY = Set.of("-onednn-avx2")::contains;
  private static final Predicate<String> ONEDNN_AVX2_AND_PLAIN = Set.of("-onednn-avx2", "")::contains;
  private static final Predicate<String> PLAIN_ONLY = Set.of("")::contains;

  /** The flags of a simulated /proc/cpuinfo with two processors. */
  private static Set<String> cpu(String flags) throws IOException {
    String cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Simulated CPU\n"
        + "flags\t\t: " + flags + "\nbogomips\t: 4800.00\n\n"
        + "processor\t: 1\nvendor_id\t: GenuineIntel\nflags\t\t: something else\n";
    return NativeCpuCheck.flags(new BufferedReader(new StringReader(cpuinfo))).orElseThrow();
  }

  @Test
  void flags_comeFromTheFirstFlagsLine() throws IOException {
    Set<String> f = cpu(AVX2_CPU);
    assertTrue(f.contains("avx2") && f.contains("sse4_2") && f.contains("fpu"), f.toString());
    assertTrue(!f.contains("something"), "only the first processor's line is read");
    assertEquals(Optional.empty(), NativeCpuCheck.flags(new BufferedReader(new StringReader(
        "processor\t: 0\nFeatures\t: fp asimd evtstrm\n"))), "an ARM cpuinfo has no flags line");
  }

  @Test
  void missing_followsLibnd4jsStartUpCheck() throws IOException {
    assertEquals(List.of(), NativeCpuCheck.missing("-onednn-avx2", cpu(AVX2_CPU)));
    assertEquals(List.of("avx2"), NativeCpuCheck.missing("-onednn-avx2", cpu(AVX_CPU)));
    assertEquals(List.of("avx", "avx2"), NativeCpuCheck.missing("-avx2", cpu(SSE_CPU)));
    assertEquals(List.of(), NativeCpuCheck.missing("", cpu(SSE_CPU)), "the plain build runs anywhere");
    assertEquals(List.of(), NativeCpuCheck.missing("-onednn", cpu(SSE_CPU)));
    assertEquals(List.of("avx512f", "avx512vl", "avx512bw", "avx512dq", "avx512cd"),
        NativeCpuCheck.missing("-avx512", cpu(AVX2_CPU)));
    assertEquals(List.of(), NativeCpuCheck.missing("-onednn-avx512", cpu(AVX512_CPU)));
  }

  @Test
  void searchOrder_isJavaCppsForEachPropertyValue() {
    List<String> unset = NativeCpuCheck.searchOrder(null);
    assertEquals(List.of("-compat", "-avx512", "-avx2", "-", "-vednn-avx2", "-vednn-avx512", "-vednn",
        "-onednn-avx2", "-onednn-avx512", "-onednn", ""), unset);
    assertEquals(List.of(""), NativeCpuCheck.searchOrder(""));
    assertEquals(List.of("-onednn-avx2", ""), NativeCpuCheck.searchOrder("-onednn-avx2"));
    assertEquals(Optional.of("-onednn-avx2"), NativeCpuCheck.loaded(null, ONEDNN_AVX2_AND_PLAIN),
        "unset, JavaCPP loads the oneDNN build before the plain one");
    assertEquals(Optional.of(""), NativeCpuCheck.loaded("", ONEDNN_AVX2_AND_PLAIN));
    assertEquals(Optional.of(""), NativeCpuCheck.loaded("-avx512", ONEDNN_AVX2_AND_PLAIN),
        "a named build that is not there falls back to the plain one");
    assertEquals(Optional.empty(), NativeCpuCheck.loaded(null, e -> false));
  }

  @Test
  void choose_thePlainBuildOnACpuWithoutAvx2() throws IOException {
    NativeCpuCheck.Choice c = NativeCpuCheck.choose(cpu(AVX_CPU), null, ONEDNN_AVX2_AND_PLAIN).orElseThrow();
    assertEquals("", c.extension());
    assertTrue(c.note().contains("lacks avx2") && c.note().contains("plain linux-x86_64"), c.note());
    assertEquals("", NativeCpuCheck.choose(cpu(SSE_CPU), null, ONEDNN_AVX2_AND_PLAIN).orElseThrow().extension());
  }

  @Test
  void choose_leavesTheDefaultWhereItRunsOrWhereTheUserChose() throws IOException {
    assertEquals(Optional.empty(), NativeCpuCheck.choose(cpu(AVX2_CPU), null, ONEDNN_AVX2_AND_PLAIN));
    assertEquals(Optional.empty(), NativeCpuCheck.choose(cpu(AVX512_CPU), null, ONEDNN_AVX2_AND_PLAIN));
    assertEquals(Optional.empty(), NativeCpuCheck.choose(cpu(AVX_CPU), null, PLAIN_ONLY));
    assertEquals(Optional.empty(), NativeCpuCheck.choose(cpu(AVX_CPU), "-onednn-avx2", ONEDNN_AVX2_AND_PLAIN),
        "an explicit -D" + NativeCpuCheck.EXTENSION_PROPERTY + " is the user's choice");
    assertEquals(Optional.empty(), NativeCpuCheck.choose(cpu(AVX_CPU), null, ONEDNN_AVX2_ONLY),
        "nothing else to load: the warning's case");
  }

  @Test
  void warning_namesTheFlagAndTheFix() throws IOException {
    String w = NativeCpuCheck.warning(cpu(AVX_CPU), null, ONEDNN_AVX2_ONLY).orElseThrow();
    assertTrue(w.contains("lacks avx2") && w.contains("linux-x86_64-onednn-avx2"), w);
    assertTrue(w.contains("-Dnd4j.extension=") && w.contains("plain linux-x86_64 classifier"), w);
    assertTrue(!w.contains("\n"), "one line");

    String both = NativeCpuCheck.warning(cpu(AVX_CPU), null, ONEDNN_AVX2_AND_PLAIN).orElseThrow();
    assertTrue(both.contains("-D" + NativeCpuCheck.EXTENSION_PROPERTY + "= "), both);

    assertEquals(Optional.of("avx, avx2"), NativeCpuCheck.warning(cpu(SSE_CPU), null, ONEDNN_AVX2_ONLY)
        .map(s -> s.substring(s.indexOf("lacks ") + 6, s.indexOf(", which"))));
  }

  @Test
  void warning_staysQuietWhereTheBuildRuns() throws IOException {
    assertEquals(Optional.empty(), NativeCpuCheck.warning(cpu(AVX2_CPU), null, ONEDNN_AVX2_ONLY));
    assertEquals(Optional.empty(), NativeCpuCheck.warning(cpu(AVX_CPU), null, PLAIN_ONLY));
    assertEquals(Optional.empty(), NativeCpuCheck.warning(cpu(AVX_CPU), "", ONEDNN_AVX2_AND_PLAIN),
        "the command-line tool's choice: the plain build loads");
    assertEquals(Optional.empty(), NativeCpuCheck.warning(cpu(SSE_CPU), null, e -> false),
        "no CPU build on the class path (the CUDA backend)");
  }

  @Test
  void thisMachine_flagsAndTheBundledBuild() {
    String os = System.getProperty("os.name", "");
    String arch = System.getProperty("os.arch", "");
    if (os.startsWith("Linux") && arch.equals("amd64")) {
      Set<String> f = NativeCpuCheck.cpuFlags().orElseThrow();
      assertTrue(f.contains("sse2"), "every x86-64 CPU has SSE2: " + f);
      assertTrue(NativeCpuCheck.loaded(System.getProperty(NativeCpuCheck.EXTENSION_PROPERTY),
          NativeCpuCheck::bundled).isPresent(), "the runtime's ND4J build is on the test class path");
    }
  }

  @Test
  void startupWarning_isFoundByNd4jsBackendDiscoveryBelowTheRealBackend() {
    List<Nd4jBackend> backends = ServiceLoader.load(Nd4jBackend.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    Nd4jBackend check = backends.stream()
        .filter(b -> b instanceof NativeCpuCheck.StartupWarning).findFirst().orElseThrow();
    for (Nd4jBackend b : backends) {
      if (b != check) {
        assertTrue(check.getPriority() < b.getPriority(), b + " must win over the check");
      }
    }
    assertTrue(backends.size() > 1, "a real backend is on the class path too: " + backends);
  }
}
