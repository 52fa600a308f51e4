package dev.unroll.it.parity;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Unroll;

/**
 * The PyTorch parity case {@code gru_many_to_many} (see {@code /parity/cases.json}), in three ways of writing
 * out time: a loop ({@code Loop}), fully unrolled over its 7 steps ({@code Full}), and unrolled
 * by a factor of 3 ({@code Factor3}).
 */
interface GruManyToManyCase {
  @Gru(hidden = 10) @Features(6) @ManyToMany @Output(5)
  interface Loop {}

  @Gru(hidden = 10) @Features(6) @ManyToMany @Output(5)
  @Unroll(steps = 7)
  interface Full {}

  @Gru(hidden = 10) @Features(6) @ManyToMany @Output(5)
  @Unroll(factor = 3)
  interface Factor3 {}
}
