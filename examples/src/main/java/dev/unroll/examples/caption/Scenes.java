package dev.unroll.examples.caption;

import dev.unroll.examples.generation.WordVocabulary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Synthetic scenes, their feature vectors and their captions: the captioning demo's data.
 *
 * <p>A scene has one to three groups of objects; a group is a colour (red, green, blue, yellow,
 * orange), a shape (circle, square, triangle) and a count (one to three), and no two groups share
 * both colour and shape. A (colour, shape) pair is a <em>slot</em>, numbered {@code colour * 3 +
 * shape}; there are {@value #SLOTS} slots and 13,275 different scenes.
 *
 * <p>The feature vector stands in for an image encoder's output, one detector score per slot and
 * count: {@value #COUNT_FEATURES} count features, feature {@code slot * 3 + count - 1} 1 when the
 * slot holds that many objects and 0 otherwise, each plus gaussian noise (σ {@value #NOISE}); then
 * {@value #DISTRACTORS} distractor features drawn from a standard normal distribution that say
 * nothing about the scene.
 *
 * <p>The caption lists the groups in slot order: "a red circle", "two red circles and an orange
 * square", "a green square , three blue circles and two yellow triangles" ("an" before orange,
 * plurals from two on, "and" before the last group, a comma token between the others).
 */
public final class Scenes {

  /** Colours, in slot order. */
  public static final List<String> COLOURS = List.of("red", "green", "blue", "yellow", "orange");
  /** Shapes, in slot order. */
  public static final List<String> SHAPES = List.of("circle", "square", "triangle");
  /** (colour, shape) pairs. */
  public static final int SLOTS = 15;
  /** Most objects in a group. */
  public static final int MAX_COUNT = 3;
  /** Features that describe the scene: one per slot and count. */
  public static final int COUNT_FEATURES = SLOTS * MAX_COUNT;
  /** Feature dimensions that carry no information. */
  public static final int DISTRACTORS = 9;
  /** The length of a scene's feature vector: the captioner's {@code @Condition}. */
  public static final int FEATURES = COUNT_FEATURES + DISTRACTORS;
  /** Standard deviation of the noise on a slot's count. */
  public static final double NOISE = 0.1;
  /** Most groups in a scene. */
  public static final int MAX_GROUPS = 3;

  private static final List<String> COUNTS = List.of("two", "three");

  /** The caption vocabulary: PAD, START, END, then 17 words (20 ids). */
  public static final WordVocabulary VOCABULARY = new WordVocabulary(words());

  /** The caption's longest length in tokens (three groups with a comma and "and"), END excluded. */
  public static final int MAX_CAPTION = 3 * MAX_GROUPS + MAX_GROUPS - 1;

  private Scenes() {}

  private static List<String> words() {
    List<String> w = new ArrayList<>(List.of("a", "an"));
    w.addAll(COUNTS);
    w.addAll(COLOURS);
    for (String s : SHAPES) {
      w.add(s);
      w.add(plural(s));
    }
    w.add("and");
    w.add(",");
    return w;
  }

  private static String plural(String shape) {
    return shape + "s";
  }

  /**
   * A group of objects of one colour and shape.
   *
   * @param colour index into {@link #COLOURS}
   * @param shape index into {@link #SHAPES}
   * @param count 1 to {@value #MAX_COUNT}
   */
  public record Group(int colour, int shape, int count) {
    public Group {
      if (colour < 0 || colour >= COLOURS.size() || shape < 0 || shape >= SHAPES.size()
          || count < 1 || count > MAX_COUNT) {
        throw new IllegalArgumentException("no such group: " + colour + ", " + shape + ", " + count);
      }
    }

    /** {@code colour * 3 + shape}. */
    public int slot() {
      return colour * SHAPES.size() + shape;
    }

    /** "a red circle", "an orange square", "two blue triangles". */
    public List<String> words() {
      String article = COLOURS.get(colour).matches("^[aeiou].*") ? "an" : "a";
      String number = count == 1 ? article : COUNTS.get(count - 2);
      String noun = count == 1 ? SHAPES.get(shape) : plural(SHAPES.get(shape));
      return List.of(number, COLOURS.get(colour), noun);
    }
  }

  /** A scene: its groups in slot order. */
  public record Scene(List<Group> groups) {
    public Scene {
      if (groups.isEmpty() || groups.size() > MAX_GROUPS) {
        throw new IllegalArgumentException("a scene has 1 to " + MAX_GROUPS + " groups");
      }
      List<Group> sorted = new ArrayList<>(groups);
      sorted.sort(Comparator.comparingInt(Group::slot));
      for (int i = 1; i < sorted.size(); i++) {
        if (sorted.get(i).slot() == sorted.get(i - 1).slot()) {
          throw new IllegalArgumentException("two groups of the same colour and shape");
        }
      }
      groups = List.copyOf(sorted);
    }

    /** The caption's words. */
    public List<String> caption() {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < groups.size(); i++) {
        if (i > 0) {
          out.add(i == groups.size() - 1 ? "and" : ",");
        }
        out.addAll(groups.get(i).words());
      }
      return out;
    }

    /** The caption as text: "two red circles and a blue square". */
    public String text() {
      return String.join(" ", caption());
    }

    /** The caption's token ids (no START, no END). */
    public int[] tokens() {
      return VOCABULARY.encode(caption());
    }

    /** The object count of every slot. */
    public int[] slotCounts() {
      int[] c = new int[SLOTS];
      for (Group g : groups) {
        c[g.slot()] = g.count();
      }
      return c;
    }
  }

  /** A scene, its noisy feature vector and its caption's tokens. */
  public record Example(Scene scene, float[] features, int[] caption) {}

  /** A random scene: 1 to 3 groups (equally likely) in distinct slots, counts 1 to 3. */
  public static Scene randomScene(Random rng) {
    return randomScene(rng, 1 + rng.nextInt(MAX_GROUPS));
  }

  /** A random scene of {@code groups} groups: every such scene equally likely. */
  public static Scene randomScene(Random rng, int groups) {
    Set<Integer> used = new HashSet<>();
    List<Group> out = new ArrayList<>();
    while (out.size() < groups) {
      int slot = rng.nextInt(SLOTS);
      if (used.add(slot)) {
        out.add(new Group(slot / SHAPES.size(), slot % SHAPES.size(), 1 + rng.nextInt(MAX_COUNT)));
      }
    }
    return new Scene(out);
  }

  /** The scene's features with fresh noise from {@code rng}. */
  public static float[] features(Scene scene, Random rng) {
    float[] f = new float[FEATURES];
    int[] counts = scene.slotCounts();
    for (int s = 0; s < SLOTS; s++) {
      for (int k = 1; k <= MAX_COUNT; k++) {
        f[s * MAX_COUNT + k - 1] = (float) ((counts[s] == k ? 1 : 0) + NOISE * rng.nextGaussian());
      }
    }
    for (int d = 0; d < DISTRACTORS; d++) {
      f[COUNT_FEATURES + d] = (float) rng.nextGaussian();
    }
    return f;
  }

  /** A scene with its features and caption. */
  public static Example example(Scene scene, Random rng) {
    return new Example(scene, features(scene, rng), scene.tokens());
  }

  /** Different scenes of two groups: 15 · 14 / 2 slot pairs × 3² counts. */
  public static final int TWO_GROUP_SCENES = 945;
  /** Different scenes of three groups: 15 · 14 · 13 / 6 slot triples × 3³ counts. */
  public static final int THREE_GROUP_SCENES = 12_285;

  /**
   * {@code n} distinct scenes of two or three groups with their features: the held-out set of seed
   * {@code seed}. Each of the 13,230 such scenes is equally likely to be chosen, so about the same
   * fraction of the two-group and of the three-group scenes is held out (7.6% each for 1,000). The
   * 45 one-group scenes are never held out: the model could not learn to stop after one group.
   */
  public static List<Example> heldOut(int n, long seed) {
    if (n < 0 || n > (TWO_GROUP_SCENES + THREE_GROUP_SCENES) / 2) {
      throw new IllegalArgumentException("hold out 0 to half the two- and three-group scenes, not " + n);
    }
    Random rng = new Random(seed ^ 0x5ca1ab1eL);
    Map<Scene, Example> out = new LinkedHashMap<>();
    while (out.size() < n) {
      int groups = rng.nextInt(TWO_GROUP_SCENES + THREE_GROUP_SCENES) < TWO_GROUP_SCENES ? 2 : 3;
      Scene s = randomScene(rng, groups);
      if (!out.containsKey(s)) {
        out.put(s, example(s, rng));
      }
    }
    return new ArrayList<>(out.values());
  }

  /** An endless stream of training examples that never shows a scene of {@code excluded}. */
  public static final class Stream {
    private final Random rng;
    private final Set<Scene> excluded;

    /** The stream of seed {@code seed}, skipping the scenes of {@code excluded}. */
    public Stream(long seed, List<Example> excluded) {
      this.rng = new Random(seed);
      this.excluded = new HashSet<>();
      for (Example e : excluded) {
        this.excluded.add(e.scene());
      }
    }

    /** The next example. */
    public Example next() {
      while (true) {
        Scene s = randomScene(rng);
        if (!excluded.contains(s)) {
          return example(s, rng);
        }
      }
    }

    /** The next {@code n} examples. */
    public List<Example> next(int n) {
      List<Example> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(next());
      }
      return out;
    }
  }
}
