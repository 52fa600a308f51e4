package dev.unroll.processor.math;

/**
 * A named slice of columns of a buffer (or rows of a weight), in units of the hidden size:
 * blocks {@code [from, to)}. Gate {@code f} of an LSTM is {@code View("f", "a", 1, 2)}.
 *
 * @param name   the local name the cell's statements use
 * @param buffer the buffer or weight it slices
 * @param from   first block
 * @param to     end block, exclusive
 */
public record View(String name, String buffer, int from, int to) {}
