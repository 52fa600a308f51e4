package dev.unroll.spark;

import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Features;
import dev.unroll.dsl.Gru;
import dev.unroll.dsl.Loss;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.ManyToOne;
import dev.unroll.dsl.Output;

/** Small annotated models that the tests compile with the unroll processor. */
public final class TestModels {
  private TestModels() {}

  /** A character language model (stateful: truncated BPTT). */
  @Lstm(hidden = 8)
  @Embedding(vocab = 9, dim = 5)
  @ManyToMany
  @Output(9)
  public interface TinyLm {}

  /** Two layers with dropout between them. */
  @Lstm(hidden = 8, layers = 2, dropout = 0.3)
  @Embedding(vocab = 9, dim = 5)
  @ManyToMany
  @Output(9)
  public interface TinyDropoutLm {}

  /** A sequence classifier with real-valued features. */
  @Gru(hidden = 6)
  @Features(3)
  @ManyToOne
  @Output(4)
  public interface TinyClassifier {}

  /** A tagger with real-valued features. */
  @Gru(hidden = 6)
  @Features(3)
  @ManyToMany
  @Output(4)
  public interface TinyTagger {}

  /** A many-to-many regression model: float targets, mean squared error. */
  @Gru(hidden = 6)
  @Features(3)
  @ManyToMany
  @Output(value = 2, loss = Loss.MSE)
  public interface TinySeries {}
}
