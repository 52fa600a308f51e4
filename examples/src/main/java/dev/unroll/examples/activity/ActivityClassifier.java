package dev.unroll.examples.activity;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;

/**
 * The README's model: a two-layer LSTM that reads 9 sensor channels per step and classifies a whole
 * recording into one of 3 activities from its last valid step.
 */
@Lstm(hidden = 128, layers = 2)
@Features(9)
@ManyToOne
@Output(3)
public interface ActivityClassifier {}
