package dev.unroll.examples.generation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Word-level token ids for the generation demos: {@link #PAD} = 0, {@link #START} = 1, {@link #END} = 2,
 * then the words in the order given. {@link #size()} is the model's {@code @Embedding(vocab)} and
 * {@code @Output}.
 */
public final class WordVocabulary {

  /** Padding after the end of a shorter sequence in a batch. */
  public static final int PAD = 0;
  /** Fed to the decoder at its first step. */
  public static final int START = 1;
  /** Written by the decoder after the last word. */
  public static final int END = 2;
  /** The reserved ids before the first word. */
  public static final int RESERVED = 3;

  private static final List<String> RESERVED_NAMES = List.of("<pad>", "<start>", "<end>");

  private final List<String> words;
  private final Map<String, Integer> ids = new HashMap<>();

  /** Ids 3, 4, ... for {@code words}, which must be distinct and not empty. */
  public WordVocabulary(List<String> words) {
    Objects.requireNonNull(words, "words");
    this.words = List.copyOf(words);
    for (int i = 0; i < this.words.size(); i++) {
      String w = this.words.get(i);
      if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("a word must be non-empty without spaces: '" + w + "'");
      }
      if (ids.put(w, RESERVED + i) != null) {
        throw new IllegalArgumentException("'" + w + "' appears twice in the vocabulary");
      }
    }
  }

  /** The number of ids, the reserved three included. */
  public int size() {
    return RESERVED + words.size();
  }

  /** The words, without the reserved ids (unmodifiable). */
  public List<String> words() {
    return Collections.unmodifiableList(words);
  }

  /** The id of one word. */
  public int id(String word) {
    Integer id = ids.get(word);
    if (id == null) {
      throw new IllegalArgumentException("'" + word + "' is not in the vocabulary");
    }
    return id;
  }

  /** The word of an id; the reserved ids read {@code <pad>}, {@code <start>} and {@code <end>}. */
  public String word(int id) {
    if (id < 0 || id >= size()) {
      throw new IllegalArgumentException("id " + id + " is outside the vocabulary [0, " + size() + ")");
    }
    return id < RESERVED ? RESERVED_NAMES.get(id) : words.get(id - RESERVED);
  }

  /** The ids of the words (no START, no END). */
  public int[] encode(List<String> sentence) {
    int[] out = new int[sentence.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = id(sentence.get(i));
    }
    return out;
  }

  /** The ids of a sentence of words separated by single spaces. */
  public int[] encode(String sentence) {
    return sentence.isEmpty() ? new int[0] : encode(List.of(sentence.split(" ")));
  }

  /**
   * The words of {@code ids} up to the first {@link #END} (excluded), PAD and START skipped: what a
   * decoder's output says.
   */
  public List<String> decodeWords(int[] ids) {
    List<String> out = new ArrayList<>();
    for (int id : ids) {
      if (id == END) {
        break;
      }
      if (id != PAD && id != START) {
        out.add(word(id));
      }
    }
    return out;
  }

  /** {@link #decodeWords} joined with single spaces. */
  public String decode(int[] ids) {
    return String.join(" ", decodeWords(ids));
  }

  /** The ids before the first {@link #END} (all of them if there is none), START and PAD skipped. */
  public static int[] strip(int[] ids) {
    int n = 0;
    int[] out = new int[ids.length];
    for (int id : ids) {
      if (id == END) {
        break;
      }
      if (id != PAD && id != START) {
        out[n++] = id;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
