package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An encoder-decoder model (translation). The annotated interface holds two nested interfaces, named
 * {@code Encoder} and {@code Decoder}, each with a cell annotation and an {@link Embedding}; the decoder
 * also has the {@link Output} (equal to its vocabulary). The encoder reads the whole source; its final
 * state (per layer, at each row's last valid token) starts the decoder, through
 * {@code bridge = nn.Linear(2 * hidden, hidden)} and tanh when the encoder is bidirectional. Encoder and
 * decoder have the same cell kind, hidden size and layer count; the decoder is unidirectional.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Seq2Seq {
  /** The target token id that begins every output sequence. */
  int start();

  /** The target token id that ends an output sequence. */
  int end();

  /** The most tokens decoding writes per row, at least 1. */
  int maxSteps();
}
