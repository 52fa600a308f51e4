package dev.unroll.examples.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.translate.NumberWords.Pair;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NumberWordsTest {

  @Test
  void words_readAsInBritishEnglish() {
    assertEquals("one", NumberWords.text(1));
    assertEquals("twelve", NumberWords.text(12));
    assertEquals("forty two", NumberWords.text(42));
    assertEquals("one hundred", NumberWords.text(100));
    assertEquals("three hundred and twelve", NumberWords.text(312));
    assertEquals("two thousand and seven", NumberWords.text(2007));
    assertEquals("ten thousand", NumberWords.text(10_000));
    assertEquals("one hundred thousand one hundred", NumberWords.text(100_100));
    assertEquals("three hundred and twelve thousand four hundred and five", NumberWords.text(312_405));
    assertEquals("3 1 2 4 0 5", String.join(" ", NumberWords.digits(312_405)));
  }

  /** Reads words back into the number: every number's words are unambiguous and within the bounds. */
  @Test
  void everyNumber_parsesBackFromItsWords() {
    Map<String, Integer> value = new java.util.HashMap<>();
    String[] units = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    String[] teens = {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen"};
    String[] tens = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    for (int i = 0; i < 9; i++) {
      value.put(units[i], i + 1);
    }
    for (int i = 0; i < 10; i++) {
      value.put(teens[i], i + 10);
    }
    for (int i = 0; i < 8; i++) {
      value.put(tens[i], 10 * (i + 2));
    }
    int longest = 0;
    for (int n = 1; n <= NumberWords.MAX; n++) {
      List<String> w = NumberWords.words(n);
      longest = Math.max(longest, w.size());
      int total = 0;
      int current = 0;
      for (String s : w) {
        switch (s) {
          case "and" -> { }
          case "hundred" -> current *= 100;
          case "thousand" -> {
            total += current * 1000;
            current = 0;
          }
          default -> current += value.get(s);
        }
      }
      if (total + current != n) {
        throw new AssertionError(n + " reads " + w);
      }
    }
    assertEquals(NumberWords.MAX_WORDS, longest);
  }

  @Test
  void vocabularies_roundTrip() {
    assertEquals(33, NumberWords.SOURCE.size());
    assertEquals(13, NumberWords.TARGET.size());
    Pair p = NumberWords.pair(2007);
    assertEquals("two thousand and seven", NumberWords.SOURCE.decode(p.source()));
    assertEquals("2 0 0 7", NumberWords.TARGET.decode(p.target()));
    assertArrayEquals(new int[] {5, 3, 3, 10}, p.target());
  }

  @Test
  void heldOutNumbers_areDistinct_deterministic_andNeverTrainedOn() {
    List<Pair> a = NumberWords.heldOut(500, 3);
    List<Pair> b = NumberWords.heldOut(500, 3);
    Set<Integer> numbers = new HashSet<>();
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).number(), b.get(i).number());
      assertTrue(a.get(i).number() >= 100, "" + a.get(i).number());
      numbers.add(a.get(i).number());
    }
    assertEquals(500, numbers.size());
    NumberWords.Stream s1 = new NumberWords.Stream(8, a);
    NumberWords.Stream s2 = new NumberWords.Stream(8, a);
    int[] byDigits = new int[7];
    for (int i = 0; i < 30_000; i++) {
      Pair x = s1.next();
      assertEquals(x.number(), s2.next().number());
      assertFalse(numbers.contains(x.number()));
      byDigits[x.target().length]++;
    }
    for (int d = 1; d <= 6; d++) {
      assertEquals(5000, byDigits[d], 300, d + " digits");
    }
  }
}
