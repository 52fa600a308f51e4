/**
 * unroll on Apache Spark: synchronous data-parallel training whose every step equals a single-process
 * step over the global batch ({@link dev.unroll.spark.SparkDataParallel}, driven by the existing
 * {@link dev.unroll.training.Trainer}), batch inference over RDDs ({@link dev.unroll.spark.SparkScorer}),
 * and {@code char-lm train --spark} for the examples' tool ({@link dev.unroll.spark.SparkCharLmTraining},
 * {@link dev.unroll.spark.Launcher}). Models travel as a {@link dev.unroll.spark.ModelFactory} and
 * their parameters as primitive arrays ({@link dev.unroll.spark.Parameters}, {@link dev.unroll.spark.Block}).
 */
package dev.unroll.spark;
