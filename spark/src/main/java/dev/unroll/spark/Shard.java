package dev.unroll.spark;

import java.io.Serializable;

/**
 * One partition's rows of a global batch, as a training step ships them: inputs, targets, mask, the
 * carried state of these rows (truncated BPTT) and the dropout seed.
 *
 * @param partition the partition's index
 * @param dropoutSeed the seed of this partition's dropout masks for this step
 * @param x the inputs of the rows
 * @param y their targets
 * @param mask their mask, or null
 * @param state the carried state of the rows (truncated BPTT), or null for a stateless step
 * @param backSteps k2 of truncated BPTT, or 0 for full BPTT of a stateless model
 */
record Shard(int partition, long dropoutSeed, Block x, Block y, Block mask, Block[] state, int backSteps)
    implements Serializable {}
