package dev.unroll.it.parity;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Unroll;

/**
 * The PyTorch parity case {@code lstm_many_to_one_masked} (see {@code /parity/cases.json}), in three ways of writing
 * out time: a loop ({@code Loop}), fully unrolled over its 9 steps ({@code Full}), and unrolled
 * by a factor of 3 ({@code Factor3}).
 */
interface LstmManyToOneMaskedCase {
  @Lstm(hidden = 8) @Features(5) @ManyToOne @Output(3)
  interface Loop {}

  @Lstm(hidden = 8) @Features(5) @ManyToOne @Output(3)
  @Unroll(steps = 9)
  interface Full {}

  @Lstm(hidden = 8) @Features(5) @ManyToOne @Output(3)
  @Unroll(factor = 3)
  interface Factor3 {}
}
