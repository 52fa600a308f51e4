package dev.unroll.it;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;

/**
 * The benchmark module's LSTM shapes, for {@link FusedLstmTest}'s checks of the fused path at the
 * sizes users run; {@code Name} generates {@code UnrolledBenchmarkShapes_Name}.
 */
interface BenchmarkShapes {
  /** Shape a: I64 H128, many-to-one (benchmarked at B32 T50). */
  @Lstm(hidden = 128) @Features(64) @ManyToOne @Output(10)
  interface A {}

  /** Shape b: two layers I128 H256, many-to-many (B32 T100). */
  @Lstm(hidden = 256, layers = 2) @Features(128) @ManyToMany @Output(10)
  interface B {}

  /** Shape d: I256 H512, many-to-many (B64 T35). */
  @Lstm(hidden = 512) @Features(256) @ManyToMany @Output(10)
  interface D {}

  /** Shape a's sizes in two bidirectional layers. */
  @Lstm(hidden = 128, layers = 2, bidirectional = true) @Features(64) @ManyToMany @Output(10)
  interface BidirectionalTwoLayer {}
}
