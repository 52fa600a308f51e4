package dev.unroll.examples.caption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.caption.Scenes.Example;
import dev.unroll.examples.caption.Scenes.Group;
import dev.unroll.examples.caption.Scenes.Scene;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenesTest {

  private static final int RED = 0;
  private static final int GREEN = 1;
  private static final int BLUE = 2;
  private static final int YELLOW = 3;
  private static final int ORANGE = 4;
  private static final int CIRCLE = 0;
  private static final int SQUARE = 1;
  private static final int TRIANGLE = 2;

  @Test
  void captions_followTheGrammar() {
    assertEquals("two red circles and a blue square",
        new Scene(List.of(new Group(BLUE, SQUARE, 1), new Group(RED, CIRCLE, 2))).text());
    assertEquals("an orange triangle", new Scene(List.of(new Group(ORANGE, TRIANGLE, 1))).text());
    assertEquals("a green square , three yellow circles and two orange squares",
        new Scene(List.of(new Group(ORANGE, SQUARE, 2), new Group(GREEN, SQUARE, 1),
            new Group(YELLOW, CIRCLE, 3))).text());
    assertThrows(IllegalArgumentException.class,
        () -> new Scene(List.of(new Group(RED, CIRCLE, 1), new Group(RED, CIRCLE, 2))));
  }

  @Test
  void vocabulary_coversEveryCaptionAndRoundTrips() {
    assertEquals(20, Scenes.VOCABULARY.size());
    Random rng = new Random(3);
    Set<String> used = new HashSet<>();
    int longest = 0;
    for (int i = 0; i < 5000; i++) {
      Scene s = Scenes.randomScene(rng);
      int[] tokens = s.tokens();
      assertEquals(s.text(), Scenes.VOCABULARY.decode(tokens));
      used.addAll(s.caption());
      longest = Math.max(longest, tokens.length);
    }
    assertEquals(Set.copyOf(Scenes.VOCABULARY.words()), used);
    assertEquals(Scenes.MAX_CAPTION, longest);
  }

  @Test
  void sameSeed_sameData_andTrainingNeverShowsAHeldOutScene() {
    List<Example> a = Scenes.heldOut(300, 9);
    List<Example> b = Scenes.heldOut(300, 9);
    assertEquals(300, a.stream().map(Example::scene).distinct().count());
    assertTrue(a.stream().allMatch(e -> e.scene().groups().size() >= 2));
    long twoGroups = Scenes.heldOut(2000, 9).stream().filter(e -> e.scene().groups().size() == 2).count();
    assertEquals(2000.0 * Scenes.TWO_GROUP_SCENES / (Scenes.TWO_GROUP_SCENES + Scenes.THREE_GROUP_SCENES),
        twoGroups, 40);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).scene(), b.get(i).scene());
      assertArrayEquals(a.get(i).features(), b.get(i).features());
    }
    assertFalse(a.get(0).scene().equals(Scenes.heldOut(1, 10).get(0).scene())
        && a.get(1).scene().equals(Scenes.heldOut(2, 10).get(1).scene()));

    Scenes.Stream s1 = new Scenes.Stream(4, a);
    Scenes.Stream s2 = new Scenes.Stream(4, a);
    Set<Scene> heldOut = new HashSet<>(a.stream().map(Example::scene).toList());
    for (int i = 0; i < 20_000; i++) {
      Example x = s1.next();
      Example y = s2.next();
      assertEquals(x.scene(), y.scene());
      assertArrayEquals(x.features(), y.features());
      assertFalse(heldOut.contains(x.scene()), x.scene().text());
    }
  }

  @Test
  void sceneCounts_matchTheConstants() {
    Set<Scene> two = new HashSet<>();
    Random rng = new Random(5);
    for (int i = 0; i < 40_000; i++) {
      two.add(Scenes.randomScene(rng, 2));
    }
    assertEquals(Scenes.TWO_GROUP_SCENES, two.size());
    assertEquals(15 * 14 * 13 / 6 * 27, Scenes.THREE_GROUP_SCENES);
  }

  @Test
  void features_holdTheCountsWithSmallNoise() {
    Example e = Scenes.example(new Scene(List.of(new Group(RED, CIRCLE, 3), new Group(BLUE, TRIANGLE, 1))),
        new Random(1));
    assertEquals(Scenes.FEATURES, e.features().length);
    int[] counts = e.scene().slotCounts();
    for (int s = 0; s < Scenes.SLOTS; s++) {
      for (int k = 1; k <= Scenes.MAX_COUNT; k++) {
        assertEquals(counts[s] == k ? 1 : 0, e.features()[s * 3 + k - 1], 0.5, "slot " + s + " count " + k);
      }
    }
    assertEquals(54, Scenes.FEATURES);
    assertEquals(3, counts[0]);
    assertEquals(1, counts[BLUE * 3 + TRIANGLE]);
    assertTrue(e.caption().length > 0);
  }
}
