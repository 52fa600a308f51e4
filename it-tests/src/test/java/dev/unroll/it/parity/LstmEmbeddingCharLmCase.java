package dev.unroll.it.parity;

import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Unroll;

/**
 * The PyTorch parity case {@code lstm_embedding_char_lm} (see {@code /parity/cases.json}), in three ways of writing
 * out time: a loop ({@code Loop}), fully unrolled over its 9 steps ({@code Full}), and unrolled
 * by a factor of 3 ({@code Factor3}).
 */
interface LstmEmbeddingCharLmCase {
  @Lstm(hidden = 12) @Embedding(vocab = 11, dim = 6) @ManyToMany @Output(11)
  interface Loop {}

  @Lstm(hidden = 12) @Embedding(vocab = 11, dim = 6) @ManyToMany @Output(11)
  @Unroll(steps = 9)
  interface Full {}

  @Lstm(hidden = 12) @Embedding(vocab = 11, dim = 6) @ManyToMany @Output(11)
  @Unroll(factor = 3)
  interface Factor3 {}
}
