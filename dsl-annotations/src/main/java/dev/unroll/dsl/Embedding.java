package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Token input: {@code x} holds int64 token ids {@code [batch, time]}, looked up in a learned table
 * (a gather, PyTorch's {@code nn.Embedding(vocab, dim)}, parameter {@code embedding.weight}).
 * Exactly one of {@link Features} and {@code @Embedding}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Embedding {
  /** Number of distinct token ids, at least 1; ids run from 0 to vocab − 1. PyTorch's {@code num_embeddings}. */
  int vocab();

  /** Length of each token's vector, at least 1; PyTorch's {@code embedding_dim}. */
  int dim();
}
