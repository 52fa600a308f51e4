package dev.unroll.it.cost;

import dev.unroll.dsl.Condition;
import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.OneToMany;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;
import dev.unroll.dsl.Seq2Seq;

/**
 * Models for {@link CostTest}; each mirrors a PyTorch model of {@code src/test/scripts/cost_counts.py}
 * (the comment above each model there repeats its annotations).
 */
interface CostModels {
  @Lstm(hidden = 5, layers = 2) @Features(9) @ManyToOne @Output(3)
  interface LstmClassifier {}

  @Gru(hidden = 4, bidirectional = true) @Embedding(vocab = 10, dim = 3) @ManyToMany @Output(6)
  interface GruTagger {}

  @Rnn(hidden = 8, bias = false) @Features(3) @ManyToMany @Output(2)
  interface RnnNoBias {}

  @Lstm(hidden = 6, layers = 2, bidirectional = true, bias = false) @Embedding(vocab = 12, dim = 4)
  @ManyToOne @Output(5)
  interface DeepLstm {}

  @OneToMany(start = 1, end = 2, maxSteps = 10)
  @Gru(hidden = 5, layers = 2) @Condition(6) @Embedding(vocab = 9, dim = 5) @Output(9)
  interface Captioner {}

  @Seq2Seq(start = 1, end = 2, maxSteps = 10)
  interface Translator {
    @Lstm(hidden = 7, bidirectional = true) @Embedding(vocab = 13, dim = 5) interface Encoder {}

    @Lstm(hidden = 7) @Embedding(vocab = 11, dim = 4) @Output(11) interface Decoder {}
  }
}
