package dev.unroll.it.parity;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;
import dev.unroll.dsl.Unroll;

/**
 * The PyTorch parity case {@code rnn_tanh_many_to_one} (see {@code /parity/cases.json}), in three ways of writing
 * out time: a loop ({@code Loop}), fully unrolled over its 12 steps ({@code Full}), and unrolled
 * by a factor of 3 ({@code Factor3}).
 */
interface RnnTanhManyToOneCase {
  @Rnn(hidden = 4) @Features(9) @ManyToOne @Output(3)
  interface Loop {}

  @Rnn(hidden = 4) @Features(9) @ManyToOne @Output(3)
  @Unroll(steps = 12)
  interface Full {}

  @Rnn(hidden = 4) @Features(9) @ManyToOne @Output(3)
  @Unroll(factor = 3)
  interface Factor3 {}
}
