package dev.unroll.processor.math;

/**
 * One gate block of a cell, in PyTorch's order within {@code weight_ih} and {@code weight_hh}.
 *
 * @param name        the name in the literature and in generated code: i, f, g, o; r, z, n
 * @param activation  its nonlinearity
 * @param description a phrase for comments
 */
public record Gate(String name, Activation activation, String description) {}
