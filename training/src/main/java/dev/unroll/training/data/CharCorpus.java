package dev.unroll.training.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A text encoded as one long stream of token ids, with its {@link Vocabulary}: the input of a
 * character-level language model. Cut it into training batches with {@link SequenceBatches}.
 */
public final class CharCorpus {

  private final Vocabulary vocabulary;
  private final int[] tokens;

  private CharCorpus(Vocabulary vocabulary, int[] tokens) {
    this.vocabulary = vocabulary;
    this.tokens = tokens;
  }

  /** {@code text} with its own character vocabulary (sorted distinct code points). */
  public static CharCorpus of(String text) {
    return of(text, Vocabulary.of(text));
  }

  /**
   * {@code text} encoded with a given vocabulary (for a validation text, or a vocabulary restored from
   * a checkpoint).
   *
   * @throws IllegalArgumentException if a character is not in the vocabulary
   */
  public static CharCorpus of(String text, Vocabulary vocabulary) {
    Objects.requireNonNull(vocabulary, "vocabulary");
    return new CharCorpus(vocabulary, vocabulary.encode(text));
  }

  /**
   * A UTF-8 text file with its own character vocabulary.
   *
   * @throws IOException if the file cannot be read or is not valid UTF-8 (the message says where and
   *     suggests {@link #loadBytes})
   */
  public static CharCorpus load(Path file) throws IOException {
    String text = readUtf8(file);
    if (text.isEmpty()) {
      throw new IOException(file + " is empty");
    }
    return of(text);
  }

  /** A text file encoded with a given vocabulary; a byte vocabulary reads any file. */
  public static CharCorpus load(Path file, Vocabulary vocabulary) throws IOException {
    Objects.requireNonNull(vocabulary, "vocabulary");
    if (vocabulary.byteLevel()) {
      return loadBytes(file);
    }
    try {
      return of(readUtf8(file), vocabulary);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Any file, one token per byte, with the fixed 256-value {@link Vocabulary#bytes()} vocabulary. */
  public static CharCorpus loadBytes(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    int[] tokens = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      tokens[i] = b[i] & 0xff;
    }
    return new CharCorpus(Vocabulary.bytes(), tokens);
  }

  private static String readUtf8(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (MalformedInputException e) {
      throw new IOException(
          file + " is not valid UTF-8 text (" + e.getMessage()
              + "); read it with CharCorpus.loadBytes for a byte-level vocabulary", e);
    } catch (CharacterCodingException e) {
      throw new IOException(file + " is not valid UTF-8 text: " + e, e);
    }
  }

  /** The vocabulary. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** The token ids (a copy). */
  public int[] tokens() {
    return tokens.clone();
  }

  /** The number of tokens. */
  public int length() {
    return tokens.length;
  }

  /**
   * The first {@code 1 - validationFraction} of the tokens for training and the rest for validation,
   * as char-rnn splits a corpus.
   */
  public Split<int[]> split(double validationFraction) {
    return Splits.tail(tokens, validationFraction);
  }

  @Override
  public String toString() {
    return "CharCorpus(" + tokens.length + " tokens, " + vocabulary + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CharCorpus c && vocabulary.equals(c.vocabulary)
        && Arrays.equals(tokens, c.tokens);
  }

  @Override
  public int hashCode() {
    return 31 * vocabulary.hashCode() + Arrays.hashCode(tokens);
  }
}
