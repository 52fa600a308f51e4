package dev.unroll.examples.translate;

import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Seq2Seq;

/**
 * The translation demo's model: a bidirectional GRU reads the number words
 * ({@link NumberWords#SOURCE}, 33 ids), its final states (through the bridge) start a GRU decoder that
 * writes the digits ({@link NumberWords#TARGET}, 13 ids) one at a time from START until END (at most
 * 8 tokens: 6 digits and END, and one more).
 */
@Seq2Seq(start = 1, end = 2, maxSteps = 8)
public interface Translator {

  /** Reads the number words in both directions. */
  @Gru(hidden = 128, bidirectional = true)
  @Embedding(vocab = 33, dim = 32)
  interface Encoder {}

  /** Writes the digits. */
  @Gru(hidden = 128)
  @Embedding(vocab = 13, dim = 32)
  @Output(13)
  interface Decoder {}
}
