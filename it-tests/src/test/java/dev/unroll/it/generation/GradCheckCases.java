package dev.unroll.it.generation;

import dev.unroll.dsl.Condition;
import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.Nonlinearity;
import dev.unroll.dsl.OneToMany;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;
import dev.unroll.dsl.Seq2Seq;

/**
 * The generation models of {@link GenerationGradientCheckTest}: every cell kind in both generation
 * topologies, tiny sizes, no dropout. Each {@code Name} here generates
 * {@code UnrolledGradCheckCases_Name}. Token ids: PAD 0, START 1, END 2.
 */
interface GradCheckCases {

  // ---- one-to-many --------------------------------------------------------------------------

  @OneToMany(start = 1, end = 2, maxSteps = 8)
  @Rnn(hidden = 4) @Condition(4) @Embedding(vocab = 6, dim = 3) @Output(6)
  interface OneToManyRnnTanh {}

  @OneToMany(start = 1, end = 2, maxSteps = 8)
  @Rnn(hidden = 4, nonlinearity = Nonlinearity.RELU) @Condition(4) @Embedding(vocab = 7, dim = 3) @Output(7)
  interface OneToManyRnnRelu {}

  @OneToMany(start = 1, end = 2, maxSteps = 8)
  @Lstm(hidden = 3) @Condition(4) @Embedding(vocab = 5, dim = 3) @Output(5)
  interface OneToManyLstm {}

  @OneToMany(start = 1, end = 2, maxSteps = 8)
  @Gru(hidden = 4) @Condition(4) @Embedding(vocab = 6, dim = 3) @Output(6)
  interface OneToManyGru {}

  @OneToMany(start = 1, end = 2, maxSteps = 8)
  @Gru(hidden = 3, resetAfter = false) @Condition(4) @Embedding(vocab = 7, dim = 3) @Output(7)
  interface OneToManyGruResetBefore {}

  /** Two layers: init maps the condition to both layers' h0 (and c0 = 0). */
  @OneToMany(start = 1, end = 2, maxSteps = 8)
  @Lstm(hidden = 3, layers = 2) @Condition(4) @Embedding(vocab = 6, dim = 3) @Output(6)
  interface OneToManyLstmTwoLayer {}

  @OneToMany(start = 1, end = 2, maxSteps = 8)
  @Gru(hidden = 3, layers = 2, resetAfter = false, bias = false) @Condition(4) @Embedding(vocab = 5, dim = 3)
  @Output(5)
  interface OneToManyGruResetBeforeTwoLayerNoBias {}

  // ---- seq2seq ------------------------------------------------------------------------------

  @Seq2Seq(start = 1, end = 2, maxSteps = 8)
  interface Seq2SeqRnnTanh {
    @Rnn(hidden = 4) @Embedding(vocab = 7, dim = 3) interface Encoder {}

    @Rnn(hidden = 4) @Embedding(vocab = 6, dim = 3) @Output(6) interface Decoder {}
  }

  /** A bidirectional ReLU encoder (through the bridge). */
  @Seq2Seq(start = 1, end = 2, maxSteps = 8)
  interface Seq2SeqRnnReluBidirectionalEncoder {
    @Rnn(hidden = 4, bidirectional = true, nonlinearity = Nonlinearity.RELU) @Embedding(vocab = 6, dim = 3)
    interface Encoder {}

    @Rnn(hidden = 4, nonlinearity = Nonlinearity.RELU) @Embedding(vocab = 7, dim = 3) @Output(7)
    interface Decoder {}
  }

  @Seq2Seq(start = 1, end = 2, maxSteps = 8)
  interface Seq2SeqLstm {
    @Lstm(hidden = 3) @Embedding(vocab = 6, dim = 3) interface Encoder {}

    @Lstm(hidden = 3) @Embedding(vocab = 5, dim = 3) @Output(5) interface Decoder {}
  }

  /** The bidirectional two-layer LSTM encoder: h and c of both layers go through the bridge. */
  @Seq2Seq(start = 1, end = 2, maxSteps = 8)
  interface Seq2SeqLstmBidirectionalTwoLayer {
    @Lstm(hidden = 3, layers = 2, bidirectional = true) @Embedding(vocab = 7, dim = 3) interface Encoder {}

    @Lstm(hidden = 3, layers = 2) @Embedding(vocab = 6, dim = 3) @Output(6) interface Decoder {}
  }

  @Seq2Seq(start = 1, end = 2, maxSteps = 8)
  interface Seq2SeqGru {
    @Gru(hidden = 4) @Embedding(vocab = 5, dim = 3) interface Encoder {}

    @Gru(hidden = 4) @Embedding(vocab = 7, dim = 3) @Output(7) interface Decoder {}
  }

  @Seq2Seq(start = 1, end = 2, maxSteps = 8)
  interface Seq2SeqGruBidirectionalEncoder {
    @Gru(hidden = 4, bidirectional = true) @Embedding(vocab = 6, dim = 3) interface Encoder {}

    @Gru(hidden = 4) @Embedding(vocab = 6, dim = 3) @Output(6) interface Decoder {}
  }

  /** A unidirectional two-layer encoder, reset-before GRU. */
  @Seq2Seq(start = 1, end = 2, maxSteps = 8)
  interface Seq2SeqGruResetBeforeTwoLayer {
    @Gru(hidden = 3, layers = 2, resetAfter = false) @Embedding(vocab = 7, dim = 3) interface Encoder {}

    @Gru(hidden = 3, layers = 2, resetAfter = false) @Embedding(vocab = 5, dim = 3) @Output(5) interface Decoder {}
  }

  /** A bidirectional reset-before GRU encoder without biases (the bridge keeps its own bias). */
  @Seq2Seq(start = 1, end = 2, maxSteps = 8)
  interface Seq2SeqGruResetBeforeBidirectionalNoBias {
    @Gru(hidden = 3, bidirectional = true, resetAfter = false, bias = false) @Embedding(vocab = 6, dim = 3)
    interface Encoder {}

    @Gru(hidden = 3, resetAfter = false, bias = false) @Embedding(vocab = 6, dim = 3) @Output(6) interface Decoder {}
  }
}
