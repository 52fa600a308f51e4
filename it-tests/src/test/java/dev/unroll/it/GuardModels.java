package dev.unroll.it;

import dev.unroll.dsl.Condition;
import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.OneToMany;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Seq2Seq;

/**
 * Models of every topology for {@link ConcurrencyTest} and {@link ValueGuardTest} (with those of
 * {@link TestModels}); {@code Name} generates {@code UnrolledGuardModels_Name}.
 */
interface GuardModels {
  /** A stateful language model: token in, next token out (for the sampler's prime tokens and TBPTT chunks). */
  @Lstm(hidden = 6) @Embedding(vocab = 12, dim = 4) @ManyToMany @Output(12)
  interface LanguageModel {}

  /** One-to-many: a condition vector of 3 values starts the decoder. */
  @OneToMany(start = 1, end = 2, maxSteps = 6)
  @Gru(hidden = 5) @Condition(3) @Embedding(vocab = 9, dim = 4) @Output(9)
  interface Captioner {}

  /** Encoder-decoder with a bidirectional LSTM encoder (source vocabulary 11, target vocabulary 9). */
  @Seq2Seq(start = 1, end = 2, maxSteps = 6)
  interface Translator {
    @Lstm(hidden = 5, bidirectional = true) @Embedding(vocab = 11, dim = 4) interface Encoder {}

    @Lstm(hidden = 5) @Embedding(vocab = 9, dim = 4) @Output(9) interface Decoder {}
  }
}
