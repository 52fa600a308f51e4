package dev.unroll.benchmarks;

import dev.unroll.runtime.RecurrentModel;
import org.nd4j.linalg.api.buffer.DataType;

/** A generated model's {@code (long seed, DataType)} constructor. */
@FunctionalInterface
public interface ModelFactory {
  /** A new model with parameters drawn from {@code seed}, computing in {@code dataType}. */
  RecurrentModel create(long seed, DataType dataType);
}
