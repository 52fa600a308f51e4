package dev.unroll.it.generation;

import dev.unroll.dsl.Condition;
import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.OneToMany;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Seq2Seq;

/** The PyTorch parity cases of {@code /parity-seq} (see its README and {@code cases.json}), as models. */
interface ParityCases {
  @OneToMany(start = 1, end = 2, maxSteps = 10)
  @Lstm(hidden = 7) @Condition(10) @Embedding(vocab = 12, dim = 5) @Output(12)
  interface OneToManyLstm {}

  @OneToMany(start = 1, end = 2, maxSteps = 10)
  @Gru(hidden = 5, layers = 2) @Condition(6) @Embedding(vocab = 9, dim = 5) @Output(9)
  interface OneToManyGruTwoLayer {}

  @Seq2Seq(start = 1, end = 2, maxSteps = 10)
  interface Seq2SeqLstm {
    @Lstm(hidden = 7) @Embedding(vocab = 13, dim = 5) interface Encoder {}

    @Lstm(hidden = 7) @Embedding(vocab = 11, dim = 5) @Output(11) interface Decoder {}
  }

  @Seq2Seq(start = 1, end = 2, maxSteps = 10)
  interface Seq2SeqGruBidirectionalEncoder {
    @Gru(hidden = 7, bidirectional = true) @Embedding(vocab = 10, dim = 5) interface Encoder {}

    @Gru(hidden = 7) @Embedding(vocab = 9, dim = 5) @Output(9) interface Decoder {}
  }
}
