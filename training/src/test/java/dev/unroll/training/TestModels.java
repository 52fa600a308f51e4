package dev.unroll.training;

import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Loss;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;

/** Small annotated models that the tests compile with the unroll processor. */
final class TestModels {
  private TestModels() {}

  /** A character language model. */
  @Lstm(hidden = 16)
  @Embedding(vocab = 11, dim = 6)
  @ManyToMany
  @Output(11)
  interface CharLm {}

  /** A two-layer character language model with dropout between the layers. */
  @Lstm(hidden = 8, layers = 2, dropout = 0.4)
  @Embedding(vocab = 11, dim = 6)
  @ManyToMany
  @Output(11)
  interface CharLmDropout {}

  /** The same shapes with another hidden size, for config mismatch tests. */
  @Lstm(hidden = 12)
  @Embedding(vocab = 11, dim = 6)
  @ManyToMany
  @Output(11)
  interface CharLmSmall {}

  /** A sequence classifier with real-valued features. */
  @Gru(hidden = 8)
  @Features(3)
  @ManyToOne
  @Output(4)
  interface Classifier {}

  /** A two-layer GRU tagger with real-valued features. */
  @Gru(hidden = 6, layers = 2)
  @Features(3)
  @ManyToMany
  @Output(4)
  interface Tagger {}

  /** An Elman RNN language model. */
  @Rnn(hidden = 5)
  @Embedding(vocab = 7, dim = 3)
  @ManyToMany
  @Output(7)
  interface RnnLm {}

  /** A bidirectional tagger. */
  @Gru(hidden = 5, bidirectional = true)
  @Features(3)
  @ManyToMany
  @Output(4)
  interface BiTagger {}

  /** A many-to-one regression model: float targets [B, 2], mean squared error. */
  @Gru(hidden = 8)
  @Features(3)
  @ManyToOne
  @Output(value = 2, loss = Loss.MSE)
  interface Forecaster {}

  /** A many-to-many regression model of the Tagger's shapes: float targets [B, T, 4], mean squared error. */
  @Gru(hidden = 6, layers = 2)
  @Features(3)
  @ManyToMany
  @Output(value = 4, loss = Loss.MSE)
  interface SeriesModel {}
}
