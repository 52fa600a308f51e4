package dev.unroll.it;

import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;
import dev.unroll.dsl.Unroll;

/** Models for {@link RoundTripTest}, {@link InputErrorsTest} and {@link FusedLstmTest}; {@code Name} generates {@code UnrolledTestModels_Name}. */
interface TestModels {
  /** Real-valued input, every parameter kind: two layers, both directions, biases. */
  @Lstm(hidden = 5, layers = 2, bidirectional = true) @Features(7) @ManyToMany @Output(3)
  interface DeepTagger {}

  /** Token input. */
  @Gru(hidden = 4) @Embedding(vocab = 10, dim = 3) @ManyToOne @Output(4)
  interface TokenClassifier {}

  /** A sequence classifier over {@code [B, T, 9]}. */
  @Lstm(hidden = 5) @Features(9) @ManyToOne @Output(3)
  interface Classifier {}

  /** The same, fully unrolled over exactly 7 steps. */
  @Lstm(hidden = 5) @Features(9) @ManyToOne @Output(3) @Unroll(steps = 7)
  interface FixedSteps {}

  /** LSTM over tokens, two layers without biases (for {@link FusedLstmTest}). */
  @Lstm(hidden = 6, layers = 2, bias = false) @Embedding(vocab = 10, dim = 3) @ManyToOne @Output(4)
  interface TokenLstm {}

  /** Token input, one output per step, vocabulary 10, 6 classes. */
  @Rnn(hidden = 4) @Embedding(vocab = 10, dim = 3) @ManyToMany @Output(6)
  interface TokenTagger {}
}
