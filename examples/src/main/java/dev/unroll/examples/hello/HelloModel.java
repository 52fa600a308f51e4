package dev.unroll.examples.hello;

import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.Output;
import dev.unroll.dsl.Rnn;

/**
 * The lectures' smallest recurrent network: an Elman RNN that reads one of the four characters
 * h, e, l, o per step and predicts the next one. javac turns it into {@code UnrolledHelloModel}.
 */
@Rnn(hidden = 16)
@Embedding(vocab = 4, dim = 4)
@ManyToMany
@Output(4)
public interface HelloModel {}
