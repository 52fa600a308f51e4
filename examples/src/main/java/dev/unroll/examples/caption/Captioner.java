package dev.unroll.examples.caption;

import dev.unroll.dsl.Condition;
import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.OneToMany;
import dev.unroll.dsl.Output;

/**
 * The captioning demo's model: a scene's {@value Scenes#FEATURES} features set the LSTM's initial
 * state ({@code h0 = tanh(init(features))}), and the LSTM writes the caption one word at a time from
 * START, reading its own previous word, until END (at most 16 tokens). The vocabulary is
 * {@link Scenes#VOCABULARY}: PAD, START, END and 17 words.
 */
@OneToMany(start = 1, end = 2, maxSteps = 16)
@Lstm(hidden = 128)
@Condition(54)
@Embedding(vocab = 20, dim = 32)
@Output(20)
public interface Captioner {}
