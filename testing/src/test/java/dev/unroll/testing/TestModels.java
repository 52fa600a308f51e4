package dev.unroll.testing;

import dev.unroll.dsl.Condition;
import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Nonlinearity;
import dev.unroll.dsl.OneToMany;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;
import dev.unroll.dsl.Seq2Seq;

/**
 * The models of this module's tests, one of each kind a user writes; each {@code Name} generates
 * {@code UnrolledTestModels_Name}.
 */
interface TestModels {

  /** A sequence classifier. */
  @Lstm(hidden = 4) @Features(3) @ManyToOne @Output(3)
  interface Classifier {}

  /** A tagger over tokens, bidirectional. */
  @Gru(hidden = 4, bidirectional = true) @Embedding(vocab = 7, dim = 3) @ManyToMany @Output(5)
  interface Tagger {}

  /** Two ReLU layers with dropout between them: the check must reseed the masks to be deterministic. */
  @Rnn(hidden = 4, layers = 2, dropout = 0.25, nonlinearity = Nonlinearity.RELU) @Features(3) @ManyToMany
  @Output(3)
  interface DropoutRelu {}

  /** One-to-many (captioning). */
  @OneToMany(start = 1, end = 2, maxSteps = 8)
  @Gru(hidden = 4) @Condition(4) @Embedding(vocab = 6, dim = 3) @Output(6)
  interface Captioner {}

  /** Encoder-decoder with a bidirectional LSTM encoder (through the bridge). */
  @Seq2Seq(start = 1, end = 2, maxSteps = 8)
  interface Translator {
    @Lstm(hidden = 3, bidirectional = true) @Embedding(vocab = 6, dim = 3) interface Encoder {}

    @Lstm(hidden = 3) @Embedding(vocab = 5, dim = 3) @Output(5) interface Decoder {}
  }

  /** 5,000,610 parameters: 4·1100·(32 + 1100) recurrent weights, 2·4·1100 biases, 10·1100 + 10 output. */
  @Lstm(hidden = 1100) @Features(32) @ManyToOne @Output(10)
  interface Large {}

  /** The PyTorch reference case {@code lstm_many_to_one_masked} (see {@code /parity/README.md}). */
  @Lstm(hidden = 8) @Features(5) @ManyToOne @Output(3)
  interface LstmManyToOneMasked {}

  /** The PyTorch reference case {@code seq2seq_lstm} (see {@code /parity/README.md}). */
  @Seq2Seq(start = 1, end = 2, maxSteps = 8)
  interface Seq2SeqLstm {
    @Lstm(hidden = 7) @Embedding(vocab = 13, dim = 5) interface Encoder {}

    @Lstm(hidden = 7) @Embedding(vocab = 11, dim = 5) @Output(11) interface Decoder {}
  }
}
