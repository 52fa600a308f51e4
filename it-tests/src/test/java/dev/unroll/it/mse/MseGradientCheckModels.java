package dev.unroll.it.mse;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Loss;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;
import dev.unroll.dsl.Unroll;

/** Small {@code @Output(loss = Loss.MSE)} models for {@link MseGradientCheckTest}. */
interface MseGradientCheckModels {
  @Lstm(hidden = 3, layers = 2) @Features(2) @ManyToOne @Output(value = 2, loss = Loss.MSE)
  interface LstmManyToOneTwoLayer {}

  @Gru(hidden = 3, bidirectional = true) @Features(2) @ManyToOne @Output(value = 3, loss = Loss.MSE)
  interface GruBidirectionalManyToOne {}

  @Gru(hidden = 3) @Features(2) @ManyToMany @Output(value = 2, loss = Loss.MSE) @Unroll(factor = 3)
  interface GruManyToManyFactor3 {}

  @Lstm(hidden = 3, bidirectional = true, bias = false) @Features(2) @ManyToMany @Output(value = 1, loss = Loss.MSE)
  interface LstmBidirectionalManyToMany {}

  @Rnn(hidden = 3, layers = 2) @Features(2) @ManyToMany @Output(value = 2, loss = Loss.MSE)
  interface RnnManyToManyTwoLayer {}
}
