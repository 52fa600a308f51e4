package dev.unroll.it.generation;

import dev.unroll.dsl.Condition;
import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.OneToMany;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Seq2Seq;

/** Small generation models that the decoding tests train and decode. */
interface DecodingCases {
  /** Learns one fixed sequence per one-hot condition. */
  @OneToMany(start = 1, end = 2, maxSteps = 8)
  @Lstm(hidden = 16, layers = 2) @Condition(4) @Embedding(vocab = 8, dim = 8) @Output(8)
  interface Memorizer {}

  /** Dropout in both stacks (between their layers), in training only. */
  @Seq2Seq(start = 1, end = 2, maxSteps = 5)
  interface Dropped {
    @Lstm(hidden = 4, layers = 2, dropout = 0.3, bidirectional = true) @Embedding(vocab = 6, dim = 3) interface Encoder {}

    @Lstm(hidden = 4, layers = 2, dropout = 0.2) @Embedding(vocab = 7, dim = 3) @Output(7) interface Decoder {}
  }

  /** Learns to reverse short token sequences. */
  @Seq2Seq(start = 1, end = 2, maxSteps = 7)
  interface Reverser {
    @Gru(hidden = 24, bidirectional = true) @Embedding(vocab = 8, dim = 8) interface Encoder {}

    @Gru(hidden = 24) @Embedding(vocab = 8, dim = 8) @Output(8) interface Decoder {}
  }
}
