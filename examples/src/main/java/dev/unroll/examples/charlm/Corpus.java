package dev.unroll.examples.charlm;

import dev.unroll.training.data.Split;
import dev.unroll.training.data.Splits;
import dev.unroll.training.data.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The text a character model trains on, as token ids of its {@link Vocabulary}, with char-rnn's
 * split: the first 90% of the tokens trains, the last 10% validates.
 *
 * <p>The vocabulary is the text's own distinct characters (ids 0..V-1 in code point order, as
 * char-rnn, torch-rnn and PyTorch's examples build it) when the text is UTF-8 with at most
 * {@link #MAX_CHARACTERS} of them, or the 256 byte values otherwise or on request
 * ({@link VocabularyChoice}).
 *
 * @param name where the text came from
 * @param vocabulary the symbols, ids 0..V-1
 * @param tokens every symbol of the text as an id
 * @param split the training and validation parts
 * @param why why this vocabulary ("the text's 65 characters", "bytes: ... is not UTF-8")
 */
public record Corpus(String name, Vocabulary vocabulary, int[] tokens, Split<int[]> split, String why) {

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

  /** The most characters a text's own vocabulary may have: the models' 256 output classes. */
  public static final int MAX_CHARACTERS = 256;

  /** Tiny Shakespeare, shipped inside this tool, in its 65 characters (or {@code choice}). */
  public static Corpus tinyShakespeare(VocabularyChoice choice) {
    return of("tiny Shakespeare (built in)", builtInBytes(), choice);
  }

  private static byte[] builtInBytes() {
    try (InputStream in = Corpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Any file, in the vocabulary {@code choice} gives. */
  public static Corpus load(Path file, VocabularyChoice choice) throws IOException {
    return of(file.toString(), readFile(file), choice);
  }

  /** The built-in text for {@link #BUILT_IN} or null, else the file, in the vocabulary {@code choice} gives. */
  public static Corpus resolve(String source, VocabularyChoice choice) throws IOException {
    return isBuiltIn(source) ? tinyShakespeare(choice) : load(Path.of(source), choice);
  }

  /**
   * The built-in text for {@link #BUILT_IN} or null, else the file, in a checkpoint's {@code vocabulary}.
   *
   * @throws IllegalArgumentException naming the characters the vocabulary lacks
   */
  public static Corpus resolve(String source, Vocabulary vocabulary) throws IOException {
    boolean builtIn = isBuiltIn(source);
    String name = builtIn ? "tiny Shakespeare (built in)" : source;
    byte[] bytes = builtIn ? builtInBytes() : readFile(Path.of(source));
    if (vocabulary.byteLevel()) {
      return withTokens(name, vocabulary, bytes(bytes), "the checkpoint's 256 byte values");
    }
    String text = utf8(bytes);
    if (text == null) {
      throw new IllegalArgumentException(name + " is not UTF-8 text, but the checkpoint's vocabulary is the "
          + vocabulary.size() + " characters of its training text; resume with the text it was trained on");
    }
    int[] missing = vocabulary.missing(text);
    if (missing.length > 0) {
      throw new IllegalArgumentException(name + " has characters the checkpoint's vocabulary of "
          + vocabulary.size() + " lacks: " + list(missing) + "; resume with the text it was trained on");
    }
    return withTokens(name, vocabulary, vocabulary.encode(text),
        String.format(Locale.ROOT, "the checkpoint's %d characters", vocabulary.size()));
  }

  private static boolean isBuiltIn(String source) {
    return source == null || source.equals(BUILT_IN);
  }

  private static byte[] readFile(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    if (b.length < 4) {
      throw new IOException(file + (b.length == 0 ? " is empty" : " has only " + b.length + " bytes")
          + ": a text to train on needs at least 4 bytes (and more than --batch)");
    }
    return b;
  }

  static Corpus of(String name, byte[] bytes, VocabularyChoice choice) {
    if (choice == VocabularyChoice.BYTES) {
      return withTokens(name, Vocabulary.bytes(), bytes(bytes), "256 byte values (--vocabulary bytes)");
    }
    String text = utf8(bytes);
    String fallback;
    if (text == null) {
      fallback = "it is not UTF-8 text";
    } else {
      Vocabulary v = Vocabulary.of(text);
      if (v.size() <= MAX_CHARACTERS) {
        return withTokens(name, v, v.encode(text),
            String.format(Locale.ROOT, "the text's %d characters", v.size()));
      }
      fallback = String.format(Locale.ROOT, "it has %,d distinct characters, more than the models' %d"
          + " output classes", v.size(), MAX_CHARACTERS);
    }
    if (choice == VocabularyChoice.CHARACTERS) {
      throw new IllegalArgumentException("--vocabulary characters: " + name + " cannot be read as"
          + " characters: " + fallback + "; use --vocabulary bytes (one token per byte)");
    }
    return withTokens(name, Vocabulary.bytes(), bytes(bytes), "256 byte values: " + fallback);
  }

  private static Corpus withTokens(String name, Vocabulary v, int[] tokens, String why) {
    return new Corpus(name, v, tokens, Splits.tail(tokens, VALIDATION_FRACTION), why);
  }

  /** The text of {@code bytes} if they are valid UTF-8, else null. */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static int[] bytes(byte[] bytes) {
    int[] tokens = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      tokens[i] = bytes[i] & 0xff;
    }
    return tokens;
  }

  /** "U+00E9 'é', U+03A9 'Ω'" (at most 10, then how many more). */
  static String list(int[] codePoints) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(10, codePoints.length); i++) {
      sb.append(i > 0 ? ", " : "").append(Vocabulary.describe(codePoints[i]));
    }
    if (codePoints.length > 10) {
      sb.append(" and ").append(codePoints.length - 10).append(" more");
    }
    return sb.toString();
  }
}
