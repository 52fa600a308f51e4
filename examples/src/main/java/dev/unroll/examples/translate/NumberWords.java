package dev.unroll.examples.translate;

import dev.unroll.examples.generation.WordVocabulary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The translation demo's language pair: English number words to digits, for the numbers 1 to
 * 999,999. "three hundred and twelve thousand four hundred and five" translates to "3 1 2 4 0 5".
 *
 * <p>British usage: "and" after "hundred" when tens or units follow ("one hundred and one"), and
 * before the tens and units of a number above 999 without hundreds ("two thousand and seven");
 * "seventy seven" is two words. Source sentences are 1 to 11 words, targets 1 to 6 digits.
 *
 * <p>Numbers are drawn with the digit count uniform from 1 to 6 (then uniform among the numbers of
 * that many digits), so short and long sentences are equally common.
 */
public final class NumberWords {

  private static final List<String> UNITS =
      List.of("one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
  private static final List<String> TEENS = List.of("ten", "eleven", "twelve", "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen");
  private static final List<String> TENS =
      List.of("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety");

  /** The largest number. */
  public static final int MAX = 999_999;
  /** The most digits. */
  public static final int MAX_DIGITS = 6;
  /** The longest source sentence in words. */
  public static final int MAX_WORDS = 11;

  /** Source vocabulary: PAD, START, END, then 30 words (33 ids). */
  public static final WordVocabulary SOURCE = new WordVocabulary(sourceWords());
  /** Target vocabulary: PAD, START, END, then the digits 0 to 9 (13 ids). */
  public static final WordVocabulary TARGET =
      new WordVocabulary(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

  private NumberWords() {}

  private static List<String> sourceWords() {
    List<String> w = new ArrayList<>(UNITS);
    w.addAll(TEENS);
    w.addAll(TENS);
    w.addAll(List.of("hundred", "thousand", "and"));
    return w;
  }

  /** The words of {@code n}, 1 to 999,999. */
  public static List<String> words(int n) {
    if (n < 1 || n > MAX) {
      throw new IllegalArgumentException("numbers from 1 to " + MAX + ", not " + n);
    }
    List<String> out = new ArrayList<>();
    int thousands = n / 1000;
    int rest = n % 1000;
    if (thousands > 0) {
      below1000(thousands, out);
      out.add("thousand");
      if (rest > 0 && rest < 100) {
        out.add("and");
      }
    }
    if (rest > 0) {
      below1000(rest, out);
    }
    return out;
  }

  private static void below1000(int n, List<String> out) {
    int hundreds = n / 100;
    int rest = n % 100;
    if (hundreds > 0) {
      out.add(UNITS.get(hundreds - 1));
      out.add("hundred");
      if (rest > 0) {
        out.add("and");
      }
    }
    if (rest >= 20) {
      out.add(TENS.get(rest / 10 - 2));
      if (rest % 10 > 0) {
        out.add(UNITS.get(rest % 10 - 1));
      }
    } else if (rest >= 10) {
      out.add(TEENS.get(rest - 10));
    } else if (rest > 0) {
      out.add(UNITS.get(rest - 1));
    }
  }

  /** The words of {@code n} as text. */
  public static String text(int n) {
    return String.join(" ", words(n));
  }

  /** The digits of {@code n} as target words: "3", "1", "2". */
  public static List<String> digits(int n) {
    List<String> out = new ArrayList<>();
    for (char c : Integer.toString(n).toCharArray()) {
      out.add(String.valueOf(c));
    }
    return out;
  }

  /** A number and its source and target tokens (no START, no END). */
  public record Pair(int number, int[] source, int[] target) {}

  /** The pair of {@code n}. */
  public static Pair pair(int n) {
    return new Pair(n, SOURCE.encode(words(n)), TARGET.encode(digits(n)));
  }

  /** A random number: digit count uniform in [{@code minDigits}, 6], then uniform. */
  public static int random(Random rng, int minDigits) {
    return random(rng, minDigits, Set.of());
  }

  /**
   * A random number not in {@code excluded}: digit count uniform in [{@code minDigits}, 6], then
   * uniform among the numbers of that many digits that are not excluded.
   */
  static int random(Random rng, int minDigits, Set<Integer> excluded) {
    int d = minDigits + rng.nextInt(MAX_DIGITS - minDigits + 1);
    int low = d == 1 ? 1 : (int) Math.pow(10, d - 1);
    int high = (int) Math.pow(10, d);
    while (true) {
      int n = low + rng.nextInt(high - low);
      if (!excluded.contains(n)) {
        return n;
      }
    }
  }

  /**
   * {@code n} distinct pairs of 3 to 6 digits (the numbers up to 99 are too few to hold out: they are
   * all left to training): the held-out set of seed {@code seed}.
   */
  public static List<Pair> heldOut(int n, long seed) {
    Random rng = new Random(seed ^ 0x7e57ab1eL);
    Map<Integer, Pair> out = new LinkedHashMap<>();
    while (out.size() < n) {
      int k = random(rng, 3);
      out.computeIfAbsent(k, NumberWords::pair);
    }
    return new ArrayList<>(out.values());
  }

  /**
   * An endless stream of training pairs that skips the numbers of {@code excluded}; the digit count
   * stays uniform from 1 to 6.
   */
  public static final class Stream {
    private final Random rng;
    private final Set<Integer> excluded = new HashSet<>();

    /** The stream of seed {@code seed}. */
    public Stream(long seed, List<Pair> excluded) {
      this.rng = new Random(seed);
      for (Pair p : excluded) {
        this.excluded.add(p.number());
      }
    }

    /** The next pair. */
    public Pair next() {
      return pair(random(rng, 1, excluded));
    }

    /** The next {@code n} pairs. */
    public List<Pair> next(int n) {
      List<Pair> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(next());
      }
      return out;
    }
  }
}
