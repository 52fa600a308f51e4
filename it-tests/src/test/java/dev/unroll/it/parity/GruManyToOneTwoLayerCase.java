package dev.unroll.it.parity;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Unroll;

/**
 * The PyTorch parity case {@code gru_many_to_one_2layer} (see {@code /parity/cases.json}), in three ways of writing
 * out time: a loop ({@code Loop}), fully unrolled over its 7 steps ({@code Full}), and unrolled
 * by a factor of 3 ({@code Factor3}).
 */
interface GruManyToOneTwoLayerCase {
  @Gru(hidden = 7, layers = 2) @Features(4) @ManyToOne @Output(3)
  interface Loop {}

  @Gru(hidden = 7, layers = 2) @Features(4) @ManyToOne @Output(3)
  @Unroll(steps = 7)
  interface Full {}

  @Gru(hidden = 7, layers = 2) @Features(4) @ManyToOne @Output(3)
  @Unroll(factor = 3)
  interface Factor3 {}
}
