package dev.unroll.processor.model;

/** What the model reads at each step. */
public sealed interface InputSpec {

  /** Width of the vector the first recurrent layer reads per step. */
  int width();

  /** Real-valued features, {@code x [B, T, features]}. */
  record Features(int features) implements InputSpec {
    public Features {
      assert features > 0;
    }

    @Override
    public int width() {
      return features;
    }
  }

  /** Token ids {@code x [B, T]} looked up in {@code embedding.weight [vocab, dim]}. */
  record Embedding(int vocab, int dim) implements InputSpec {
    public Embedding {
      assert vocab > 0 && dim > 0;
    }

    @Override
    public int width() {
      return dim;
    }
  }
}
