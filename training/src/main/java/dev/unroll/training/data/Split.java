package dev.unroll.training.data;

/**
 * A training part and a validation part of a data set.
 *
 * @param train the data to train on
 * @param validation the held-out data
 * @param <T> the data's type ({@code int[]} tokens, a list of examples, indices, ...)
 */
public record Split<T>(T train, T validation) {}
