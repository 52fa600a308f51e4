package dev.unroll.it.mse;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Loss;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Unroll;

/**
 * The mean-squared-error parity cases of {@code /parity-mse/cases.json}, each as a loop and unrolled by
 * a factor of 3 (the fixed-length ones also fully unrolled).
 */
interface MseCases {
  @Lstm(hidden = 8) @Features(5) @ManyToOne @Output(value = 2, loss = Loss.MSE)
  interface LstmManyToOne {}

  @Lstm(hidden = 8) @Features(5) @ManyToOne @Output(value = 2, loss = Loss.MSE) @Unroll(steps = 7)
  interface LstmManyToOneFull {}

  @Lstm(hidden = 8) @Features(5) @ManyToOne @Output(value = 2, loss = Loss.MSE) @Unroll(factor = 3)
  interface LstmManyToOneFactor3 {}

  @Gru(hidden = 6) @Features(4) @ManyToOne @Output(value = 3, loss = Loss.MSE)
  interface GruManyToOneMasked {}

  @Gru(hidden = 6) @Features(4) @ManyToOne @Output(value = 3, loss = Loss.MSE) @Unroll(factor = 3)
  interface GruManyToOneMaskedFactor3 {}

  @Lstm(hidden = 7) @Features(3) @ManyToMany @Output(value = 2, loss = Loss.MSE)
  interface LstmManyToManyMasked {}

  @Lstm(hidden = 7) @Features(3) @ManyToMany @Output(value = 2, loss = Loss.MSE) @Unroll(factor = 3)
  interface LstmManyToManyMaskedFactor3 {}

  @Gru(hidden = 6, layers = 2) @Features(4) @ManyToMany @Output(value = 1, loss = Loss.MSE)
  interface GruManyToManyTwoLayer {}

  @Gru(hidden = 6, layers = 2) @Features(4) @ManyToMany @Output(value = 1, loss = Loss.MSE) @Unroll(steps = 7)
  interface GruManyToManyTwoLayerFull {}

  @Gru(hidden = 5, bidirectional = true) @Features(3) @ManyToMany @Output(value = 2, loss = Loss.MSE)
  interface GruBidirectionalManyToManyMasked {}

  @Gru(hidden = 5, bidirectional = true) @Features(3) @ManyToMany @Output(value = 2, loss = Loss.MSE)
  @Unroll(factor = 3)
  interface GruBidirectionalManyToManyMaskedFactor3 {}
}
