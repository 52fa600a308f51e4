package dev.unroll.it.parity;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.Nonlinearity;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;
import dev.unroll.dsl.Unroll;

/**
 * The PyTorch parity case {@code rnn_relu_many_to_many} (see {@code /parity/cases.json}), in three ways of writing
 * out time: a loop ({@code Loop}), fully unrolled over its 7 steps ({@code Full}), and unrolled
 * by a factor of 3 ({@code Factor3}).
 */
interface RnnReluManyToManyCase {
  @Rnn(hidden = 6, nonlinearity = Nonlinearity.RELU) @Features(3) @ManyToMany @Output(2)
  interface Loop {}

  @Rnn(hidden = 6, nonlinearity = Nonlinearity.RELU) @Features(3) @ManyToMany @Output(2)
  @Unroll(steps = 7)
  interface Full {}

  @Rnn(hidden = 6, nonlinearity = Nonlinearity.RELU) @Features(3) @ManyToMany @Output(2)
  @Unroll(factor = 3)
  interface Factor3 {}
}
