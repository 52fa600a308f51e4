package dev.unroll.examples.charlm;

import dev.unroll.training.data.CharCorpus;
import dev.unroll.training.data.Split;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The text a character model trains on, as byte tokens (the fixed 256-value vocabulary, so any file
 * works), with char-rnn's split: the first 90% trains, the last 10% validates.
 *
 * @param name where the text came from
 * @param tokens every byte of the text
 * @param split the training and validation parts
 */
public record Corpus(String name, int[] tokens, Split<int[]> split) {

  /** What a checkpoint records for the built-in text. */
  public static final String BUILT_IN = "builtin:tinyshakespeare";

  /** The resource holding tiny Shakespeare (1,115,394 bytes; provenance in {@link #NOTES}). */
  static final String RESOURCE = "tinyshakespeare.txt";

  /**
   * The corpus's provenance and published reference losses: a file beside the resource, named by its
   * path in the repository (it ships in the jar too).
   */
  public static final String NOTES = "examples/src/main/resources/dev/unroll/examples/charlm/tinyshakespeare.md";

  /** The share of the text, at its end, held out for validation. */
  public static final double VALIDATION_FRACTION = 0.1;

  /** Tiny Shakespeare, shipped inside this tool. */
  public static Corpus tinyShakespeare() {
    try (InputStream in = Corpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + RESOURCE + " is missing from the jar");
      }
      return of("tiny Shakespeare (built in)", in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Any file, one token per byte. */
  public static Corpus load(Path file) throws IOException {
    CharCorpus c = CharCorpus.loadBytes(file);
    if (c.length() < 4) {
      throw new IOException(file + (c.length() == 0 ? " is empty" : " has only " + c.length() + " bytes")
          + ": a text to train on needs at least 4 bytes (and more than --batch)");
    }
    return new Corpus(file.toString(), c.tokens(), c.split(VALIDATION_FRACTION));
  }

  /** The built-in text for {@link #BUILT_IN} or null, else the file. */
  public static Corpus resolve(String source) throws IOException {
    return source == null || source.equals(BUILT_IN) ? tinyShakespeare() : load(Path.of(source));
  }

  static Corpus of(String name, byte[] bytes) {
    int[] tokens = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      tokens[i] = bytes[i] & 0xff;
    }
    return new Corpus(name, tokens, dev.unroll.training.data.Splits.tail(tokens, VALIDATION_FRACTION));
  }
}
