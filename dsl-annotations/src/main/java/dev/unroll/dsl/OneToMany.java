package dev.unroll.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Generation from a vector (image captioning): the {@link Condition} vector {@code v} sets the initial
 * hidden state of every layer, {@code h0 = tanh(init(v))} (c0 = 0 for an LSTM), and the decoder reads
 * its own previous token, starting from {@code start}, until it writes {@code end}. Needs a cell, an
 * {@link Embedding} (the tokens read), {@code @Condition} and an {@link Output} equal to the
 * vocabulary (outputs are fed back as tokens). Logits {@code [batch, time, vocab]} in training;
 * {@code maxSteps} bounds decoding only. Exactly one topology annotation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface OneToMany {
  /** The token id every decoded sequence starts from, e.g. 1. */
  int start();

  /** The token id that ends a sequence, e.g. 2; different from {@code start}. */
  int end();

  /** The most tokens decoding writes per sequence, END included; at least 1. */
  int maxSteps();
}
