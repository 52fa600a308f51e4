package dev.unroll.examples.charlm;

import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.Output;

/**
 * The character language models of {@code char-lm}. Sizes are compile-time constants, so the tool
 * offers a menu of generated configurations. All have 256 input and output classes: the 256 byte
 * values (any file is a valid text), or a text's own V characters in the first V of them (the rest
 * switched off by {@link UnusedClasses}), read through a 64-wide embedding to predict the next symbol.
 */
public final class CharLmModels {
  private CharLmModels() {}

  /** {@code --model small}: one LSTM layer of 128. */
  @Lstm(hidden = 128)
  @Embedding(vocab = 256, dim = 64)
  @ManyToMany
  @Output(256)
  public interface Small {}

  /** {@code --model medium}: two LSTM layers of 256, dropout 0.2 between them. */
  @Lstm(hidden = 256, layers = 2, dropout = 0.2)
  @Embedding(vocab = 256, dim = 64)
  @ManyToMany
  @Output(256)
  public interface Medium {}

  /** {@code --model large}: three LSTM layers of 512, dropout 0.2 between them. */
  @Lstm(hidden = 512, layers = 3, dropout = 0.2)
  @Embedding(vocab = 256, dim = 64)
  @ManyToMany
  @Output(256)
  public interface Large {}

  /**
   * {@code --model medium-plain}: the medium shapes without dropout, PyTorch's
   * {@code nn.LSTM(64, 256, num_layers=2)}, as the reference setting of {@code char-lm curve}.
   */
  @Lstm(hidden = 256, layers = 2)
  @Embedding(vocab = 256, dim = 64)
  @ManyToMany
  @Output(256)
  public interface MediumPlain {}

  /**
   * {@code --model medium-dropout-0.5}, {@code char-lm train}'s default: the medium shapes with
   * dropout 0.5 between the layers. Also {@code char-lm curve --dropout 0.5}: at 15 minutes of two
   * cores both unroll and PyTorch overfit tiny Shakespeare with 0.2.
   */
  @Lstm(hidden = 256, layers = 2, dropout = 0.5)
  @Embedding(vocab = 256, dim = 64)
  @ManyToMany
  @Output(256)
  public interface MediumDropoutHalf {}
}
