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

  /** Learns to reverse short token sequences. */
  @Seq2Seq(start = 1, end = 2, maxSteps = 7)
  interface Reverser {
    @Gru(hidden = 24, bidirectional = true) @Embedding(vocab = 8, dim = 8) interface Encoder {}

    @Gru(hidden = 24) @Embedding(vocab = 8, dim = 8) @Output(8) interface Decoder {}
  }
}
