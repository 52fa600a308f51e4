/**
 * Optimizers with PyTorch's update rules and defaults ({@link dev.unroll.training.optim.Sgd}, {@link
 * dev.unroll.training.optim.Adam}, {@link dev.unroll.training.optim.AdamW}, {@link
 * dev.unroll.training.optim.RmsProp}, {@link dev.unroll.training.optim.Adagrad}), updating a model's
 * parameter map in place with whole-array ND4J operations.
 */
package dev.unroll.training.optim;
