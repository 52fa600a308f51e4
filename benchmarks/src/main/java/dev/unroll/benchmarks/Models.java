package dev.unroll.benchmarks;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;
import dev.unroll.dsl.Unroll;

/**
 * The benchmarked models; {@code Name} generates {@code UnrolledModels_Name}. Every class takes a
 * {@code DataType} in its constructor, so the same class serves float32 and float64. Batch size and
 * sequence length are not part of a model (except {@link LstmASteps50}); {@link Shape} adds them.
 */
interface Models {
  /** Shape a: LSTM I64 H128, many-to-one, 10 classes (run at B32 T50). */
  @Lstm(hidden = 128) @Features(64) @ManyToOne @Output(10)
  interface LstmA {}

  /** Shape b: two stacked LSTM layers I128 H256, many-to-many, 10 classes (run at B32 T100). */
  @Lstm(hidden = 256, layers = 2) @Features(128) @ManyToMany @Output(10)
  interface LstmB {}

  /** Shape c: LSTM I32 H64, many-to-one, 10 classes (run at B1 T200: latency-bound). */
  @Lstm(hidden = 64) @Features(32) @ManyToOne @Output(10)
  interface LstmC {}

  /** Shape a, bidirectional: the two directions of the layer can run on two cores. */
  @Lstm(hidden = 128, bidirectional = true) @Features(64) @ManyToOne @Output(10)
  interface LstmABidirectional {}

  /** Shape d: LSTM I256 H512, many-to-many, 10 classes (run at B64 T35: compute-bound). */
  @Lstm(hidden = 512) @Features(256) @ManyToMany @Output(10)
  interface LstmD {}

  /** Shape a with a GRU cell. */
  @Gru(hidden = 128) @Features(64) @ManyToOne @Output(10)
  interface GruA {}

  /** Shape a with a tanh RNN cell. */
  @Rnn(hidden = 128) @Features(64) @ManyToOne @Output(10)
  interface RnnA {}

  /** Shape a, four steps written out per loop iteration. */
  @Lstm(hidden = 128) @Features(64) @ManyToOne @Output(10) @Unroll(factor = 4)
  interface LstmAFactor4 {}

  /** Shape a, all 50 steps written out (sequence length fixed at 50). */
  @Lstm(hidden = 128) @Features(64) @ManyToOne @Output(10) @Unroll(steps = 50)
  interface LstmASteps50 {}

  /** Shape a's input and batch with hidden 32, for the scaling run. */
  @Lstm(hidden = 32) @Features(64) @ManyToOne @Output(10)
  interface LstmH32 {}

  /** Hidden 64, for the scaling run. */
  @Lstm(hidden = 64) @Features(64) @ManyToOne @Output(10)
  interface LstmH64 {}

  /** Hidden 256, for the scaling run. */
  @Lstm(hidden = 256) @Features(64) @ManyToOne @Output(10)
  interface LstmH256 {}

  /** Hidden 512, for the scaling run. */
  @Lstm(hidden = 512) @Features(64) @ManyToOne @Output(10)
  interface LstmH512 {}
}
