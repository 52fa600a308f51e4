package dev.unroll.training.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A mapping between text and token ids: either the sorted distinct characters (Unicode code points) of
 * a text, as char-rnn builds it, or the fixed 256 byte values, which reads any file (text is then
 * encoded as UTF-8 and each byte is a token).
 *
 * <p>{@link #serialize()} and {@link #parse(String)} turn a vocabulary into one line of text and back,
 * so that a checkpoint's metadata can carry it.
 */
public final class Vocabulary {

  private static final String BYTES = "bytes";
  private static final String CODE_POINTS = "codepoints:";

  /** The code point of each id, or null for the byte vocabulary. */
  private final int[] codePoints;
  private final Map<Integer, Integer> ids;

  private Vocabulary(int[] codePoints) {
    this.codePoints = codePoints;
    if (codePoints == null) {
      this.ids = Map.of();
    } else {
      this.ids = new HashMap<>();
      for (int i = 0; i < codePoints.length; i++) {
        if (ids.put(codePoints[i], i) != null) {
          throw new IllegalArgumentException(
              "code point " + codePoints[i] + " appears twice in the vocabulary");
        }
      }
    }
  }

  /** The sorted distinct code points of {@code text}; id i is the i-th smallest. */
  public static Vocabulary of(String text) {
    Objects.requireNonNull(text, "text");
    int[] distinct = text.codePoints().distinct().sorted().toArray();
    if (distinct.length == 0) {
      throw new IllegalArgumentException("cannot build a vocabulary from an empty text");
    }
    return new Vocabulary(distinct);
  }

  /** The 256 byte values; id b is the byte b (0 to 255), text is encoded as UTF-8. */
  public static Vocabulary bytes() {
    return new Vocabulary(null);
  }

  /** Whether this is the byte vocabulary. */
  public boolean byteLevel() {
    return codePoints == null;
  }

  /** The number of ids: the {@code vocab} of the model's {@code @Embedding} and its {@code @Output}. */
  public int size() {
    return codePoints == null ? 256 : codePoints.length;
  }

  /**
   * The ids of {@code text}.
   *
   * @throws IllegalArgumentException if a character is not in the vocabulary (never for bytes)
   */
  public int[] encode(String text) {
    Objects.requireNonNull(text, "text");
    if (codePoints == null) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      int[] out = new int[b.length];
      for (int i = 0; i < b.length; i++) {
        out[i] = b[i] & 0xff;
      }
      return out;
    }
    int[] cps = text.codePoints().toArray();
    int[] out = new int[cps.length];
    for (int i = 0; i < cps.length; i++) {
      Integer id = ids.get(cps[i]);
      if (id == null) {
        throw new IllegalArgumentException(
            "character " + describe(cps[i]) + " at position " + i + " is not in the vocabulary of "
                + size() + " characters");
      }
      out[i] = id;
    }
    return out;
  }

  /**
   * The distinct characters (code points) of {@code text} that this vocabulary lacks, in the order of
   * their first appearance: those {@link #encode(String)} would refuse. Empty for the byte vocabulary.
   */
  public int[] missing(String text) {
    Objects.requireNonNull(text, "text");
    if (codePoints == null) {
      return new int[0];
    }
    return text.codePoints().filter(cp -> !ids.containsKey(cp)).distinct().toArray();
  }

  /**
   * {@code U+00E9 'é'}: a code point as messages name it; control characters and line breaks by their
   * number alone ({@code U+000A}), so that a message stays on one line.
   */
  public static String describe(int cp) {
    if (Character.isISOControl(cp) || Character.getType(cp) == Character.LINE_SEPARATOR
        || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR) {
      return String.format("U+%04X", cp);
    }
    return String.format("U+%04X '%s'", cp, new String(Character.toChars(cp)));
  }

  /** The id of one character (code point). */
  public int id(int codePoint) {
    if (codePoints == null) {
      if (codePoint < 0 || codePoint > 0x7f) {
        throw new IllegalArgumentException(
            describe(codePoint) + " is not a single byte in UTF-8; use encode");
      }
      return codePoint;
    }
    Integer id = ids.get(codePoint);
    if (id == null) {
      throw new IllegalArgumentException(describe(codePoint) + " is not in the vocabulary");
    }
    return id;
  }

  /**
   * The text of {@code ids}. With bytes, invalid UTF-8 sequences (such as a character cut in two)
   * become U+FFFD.
   *
   * @throws IllegalArgumentException if an id is outside {@code [0, size())}
   */
  public String decode(int... ids) {
    Objects.requireNonNull(ids, "ids");
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= size()) {
        throw new IllegalArgumentException(
            "id " + ids[i] + " at position " + i + " is outside the vocabulary [0, " + size() + ")");
      }
    }
    if (codePoints == null) {
      byte[] b = new byte[ids.length];
      for (int i = 0; i < ids.length; i++) {
        b[i] = (byte) ids[i];
      }
      return new String(b, StandardCharsets.UTF_8);
    }
    StringBuilder sb = new StringBuilder(ids.length);
    for (int id : ids) {
      sb.appendCodePoint(codePoints[id]);
    }
    return sb.toString();
  }

  /** One line of ASCII text that {@link #parse(String)} turns back into this vocabulary. */
  public String serialize() {
    if (codePoints == null) {
      return BYTES;
    }
    StringBuilder sb = new StringBuilder(CODE_POINTS);
    for (int i = 0; i < codePoints.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(Integer.toHexString(codePoints[i]));
    }
    return sb.toString();
  }

  /**
   * The vocabulary that {@link #serialize()} described.
   *
   * @throws IllegalArgumentException if {@code text} is not such a description
   */
  public static Vocabulary parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.equals(BYTES)) {
      return bytes();
    }
    if (!text.startsWith(CODE_POINTS) || text.length() == CODE_POINTS.length()) {
      throw new IllegalArgumentException(
          "not a vocabulary description (expected 'bytes' or 'codepoints:<hex>,...'): " + text);
    }
    String[] parts = text.substring(CODE_POINTS.length()).split(",");
    int[] cps = new int[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        cps[i] = Integer.parseInt(parts[i], 16);
        if (!Character.isValidCodePoint(cps[i])) {
          throw new IllegalArgumentException("invalid code point " + parts[i]);
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a vocabulary description: " + e.getMessage(), e);
    }
    return new Vocabulary(cps);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary v && Arrays.equals(codePoints, v.codePoints);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(codePoints);
  }

  @Override
  public String toString() {
    return byteLevel() ? "Vocabulary(256 bytes)" : "Vocabulary(" + size() + " characters)";
  }
}
