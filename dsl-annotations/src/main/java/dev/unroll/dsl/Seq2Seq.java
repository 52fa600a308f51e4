package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An encoder-decoder (translation): the encoder reads the whole source, its final state at each row's
 * last valid token starts the decoder, which reads its own previous token from {@code start} on until
 * it writes {@code end}. The parts are two interfaces nested in this one, named {@code Encoder} and
 * {@code Decoder}, each carrying its own cell and {@link Embedding}; the decoder also carries
 * {@link Output}, equal to its vocabulary. Both use the same cell kind, hidden size and layer count;
 * only the encoder may be bidirectional (it then reaches the decoder through
 * {@code bridge = nn.Linear(2 × hidden, hidden)} with tanh, and {@code bridge_c} for an LSTM's c).
 * <pre>
 * &#64;Seq2Seq(start = 1, end = 2, maxSteps = 50)
 * public interface Translator {
 *   &#64;Gru(hidden = 256, bidirectional = true) &#64;Embedding(vocab = 8000, dim = 256) interface Encoder {}
 *   &#64;Gru(hidden = 256) &#64;Embedding(vocab = 6000, dim = 256) &#64;Output(6000) interface Decoder {}
 * }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Seq2Seq {
  /** The target token id every decoded sequence starts from, e.g. 1. */
  int start();

  /** The target token id that ends a sequence, e.g. 2; different from {@code start}. */
  int end();

  /** The most tokens decoding writes per sequence, END included; at least 1. */
  int maxSteps();
}
