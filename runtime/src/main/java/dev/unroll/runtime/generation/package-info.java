/**
 * Sequence generation: the generated models that write token sequences and the loops that decode them.
 *
 * <ul>
 *   <li>The models: {@link dev.unroll.runtime.generation.SequenceGenerator}, with its two kinds {@link
 *       dev.unroll.runtime.generation.OneToManyModel} (a condition vector starts the decoder:
 *       captioning) and {@link dev.unroll.runtime.generation.Seq2SeqModel} (an encoder's final state
 *       starts it: translation). Both are {@link dev.unroll.runtime.UnrolledModel}s, trained like every
 *       other model.
 *   <li>Decoding: {@link dev.unroll.runtime.generation.Decoding}'s greedy, sampling and beam-search
 *       loops over a {@link dev.unroll.runtime.generation.DecoderSession} (which a generated class
 *       implements), with their results {@link dev.unroll.runtime.generation.Decoded}, {@link
 *       dev.unroll.runtime.generation.Beams} and {@link dev.unroll.runtime.generation.Hypothesis}.
 * </ul>
 */
package dev.unroll.runtime.generation;
