package dev.unroll.examples.forecast;

import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Loss;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;

/**
 * The next 24 hours of a series from the last {@value SeriesData#WINDOW} hours: a GRU reads the window
 * (6 features per hour, {@link SeriesData#features}) and its final state predicts all 24 values at
 * once, trained by mean squared error.
 */
@Gru(hidden = 32)
@Features(SeriesData.FEATURES)
@ManyToOne
@Output(value = SeriesData.HORIZON, loss = Loss.MSE)
public interface Forecaster {}
