package dev.unroll.it.parity;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;
import dev.unroll.dsl.Unroll;

/**
 * The PyTorch parity case {@code rnn_tanh_many_to_many_masked} (see {@code /parity/cases.json}), in three ways of writing
 * out time: a loop ({@code Loop}), fully unrolled over its 8 steps ({@code Full}), and unrolled
 * by a factor of 3 ({@code Factor3}).
 */
interface RnnTanhManyToManyMaskedCase {
  @Rnn(hidden = 5) @Features(3) @ManyToMany @Output(4)
  interface Loop {}

  @Rnn(hidden = 5) @Features(3) @ManyToMany @Output(4)
  @Unroll(steps = 8)
  interface Full {}

  @Rnn(hidden = 5) @Features(3) @ManyToMany @Output(4)
  @Unroll(factor = 3)
  interface Factor3 {}
}
