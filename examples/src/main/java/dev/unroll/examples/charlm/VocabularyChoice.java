package dev.unroll.examples.charlm;

import java.util.Locale;

/**
 * {@code --vocabulary}: which symbols a character model's softmax runs over. The models are compiled
 * with 256 output classes; a text's own characters use the first V of them (see {@link UnusedClasses}).
 */
public enum VocabularyChoice {
  /** The text's characters when it is UTF-8 with at most 256 distinct ones, else its bytes. */
  AUTO,
  /** The text's own distinct characters (UTF-8), refused when there are more than 256 or it is not UTF-8. */
  CHARACTERS,
  /** The 256 byte values: any file, binary ones too. */
  BYTES;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
