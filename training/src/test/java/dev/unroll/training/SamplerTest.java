package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

  @Test
  void greedyFollowsTheMostLikelyTokenOnAReplica() {
    FakeStatefulModel m = new FakeStatefulModel(0);
    Sampler<FakeStatefulModel.State> s = new Sampler<>(m);
    List<Integer> streamed = new ArrayList<>();
    int[] out = s.sample(new int[] {2, 0}, Sampler.Options.greedy(7), streamed::add);
    // the fake's most likely next token is (token + 1) mod 3
    assertArrayEquals(new int[] {1, 2, 0, 1, 2, 0, 1}, out);
    assertEquals(Arrays.stream(out).boxed().toList(), streamed);
    assertEquals(0, m.forwardCalls); // the trained model itself is never run
    assertEquals(1, m.replicas.size());
    assertEquals(7, m.replicas.get(0).forwardCalls); // prime in one call, then one token per call
    assertArrayEquals(out, s.sample(new int[] {2, 0}, Sampler.Options.greedy(7)));
  }

  @Test
  void sameSeedGivesTheSameTextAndTopKOneIsGreedy() {
    FakeStatefulModel m = new FakeStatefulModel(1.9); // class 0 nearly as likely as the peak
    Sampler<FakeStatefulModel.State> s = new Sampler<>(m);
    Sampler.Options o = new Sampler.Options(200, 1.0, 0, 42);
    int[] a = s.sample(new int[] {0}, o);
    int[] b = s.sample(new int[] {0}, o);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, s.sample(new int[] {0}, o.withSeed(43))));
    assertFalse(Arrays.equals(a, s.sample(new int[] {0}, Sampler.Options.greedy(200))));
    assertArrayEquals(
        s.sample(new int[] {1}, Sampler.Options.greedy(50)),
        s.sample(new int[] {1}, new Sampler.Options(50, 3.0, 1, 9)));
  }

  @Test
  void aClassLimitReadsAndDrawsOnlyTheFirstClasses() {
    FakeStatefulModel m = new FakeStatefulModel(0);
    // all 3 classes: the peak (token + 1) mod 3 wins; limited to 2, class 2 is never read, so after
    // token 1 the tie of classes 0 and 1 (logits 0 and 0) goes to 0
    assertArrayEquals(new int[] {2, 0, 1, 2}, new Sampler<>(m).sample(new int[] {1}, Sampler.Options.greedy(4)));
    Sampler<FakeStatefulModel.State> two = new Sampler<>(m, 2);
    assertArrayEquals(new int[] {0, 1, 0, 1}, two.sample(new int[] {1}, Sampler.Options.greedy(4)));
    // at a high temperature every class is about equally likely: the full sampler draws 2, the limited never
    int[] hot = two.sample(new int[] {0}, new Sampler.Options(300, 1000, 0, 5));
    assertTrue(Arrays.stream(hot).allMatch(t -> t == 0 || t == 1), Arrays.toString(hot));
    assertTrue(Arrays.stream(new Sampler<>(m).sample(new int[] {0}, new Sampler.Options(300, 1000, 0, 5)))
        .anyMatch(t -> t == 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> two.sample(new int[] {2}, Sampler.Options.greedy(1)));
    assertTrue(e.getMessage().contains("outside the vocabulary [0, 2)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Sampler<>(m, 4));
    assertThrows(IllegalArgumentException.class, () -> new Sampler<>(m, 0));
  }

  @Test
  void drawingRule() {
    double[] logits = {1.0, 3.0, 2.0, -1.0};
    double[] scratch = new double[4];
    SplittableRandom r = new SplittableRandom(5);
    assertEquals(1, Sampler.choose(logits, new Sampler.Options(1, 0, 0, 0), r, scratch));
    // top-2 keeps ids 1 and 2 only
    int[] counts = new int[4];
    for (int i = 0; i < 4000; i++) {
      counts[Sampler.choose(logits, new Sampler.Options(1, 1.0, 2, 0), r, scratch)]++;
    }
    assertEquals(0, counts[0] + counts[3]);
    double p1 = Math.exp(3) / (Math.exp(3) + Math.exp(2));
    assertEquals(p1, counts[1] / 4000.0, 0.03);
    // a high temperature flattens the distribution
    Arrays.fill(counts, 0);
    for (int i = 0; i < 4000; i++) {
      counts[Sampler.choose(logits, new Sampler.Options(1, 100.0, 0, 0), r, scratch)]++;
    }
    for (int c : counts) {
      assertEquals(0.25, c / 4000.0, 0.04);
    }
  }

  @Test
  void refusesModelsThatAreNotLanguageModels() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> Sampler.of(new UnrolledTestModels_Classifier(1)));
    assertTrue(e.getMessage().contains("@Embedding"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Sampler<>(new FakeStatefulModel(0)).sample(new int[0], Sampler.Options.greedy(3)));
    assertTrue(e.getMessage().contains("priming"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Sampler<>(new FakeStatefulModel(0)).sample(new int[] {3}, Sampler.Options.greedy(3)));
  }
}
