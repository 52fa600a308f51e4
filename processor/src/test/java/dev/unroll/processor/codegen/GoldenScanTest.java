package dev.unroll.processor.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads every golden as a reviewer would, for the faults an exact-text comparison happily keeps:
 * lines over {@link Layout#WIDTH} columns, placeholders never filled (a JavaPoet {@code $L}, a
 * shape with a word in it like {@code [B, width]}), symbols capitalised into other symbols
 * ({@code H_{t-1}} reads as the hidden size), and equations that mention a parameter the model
 * does not have (a {@code b_hh} in a model without biases).
 */
class GoldenScanTest {
  /** A JavaPoet placeholder left in the text. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$[LNSTWZ<>\\[\\]]");
  /** A shape in a comment: [B, ...] or [T, ...] or [(T + 1)·B, ...]. */
  private static final Pattern SHAPE = Pattern.compile("\\[((?:B|T|\\(T)[^\\]]*)\\]");
  /** What one dimension of a shape may be: constants, numbers, B and T, and arithmetic. */
  private static final Pattern DIMENSION = Pattern.compile("[A-Z0-9_ ·×*+()−-]+");
  /** A lowercase symbol capitalised: H_{t-1}, H_t, C_t, Tanh(. */
  private static final Pattern CAPITALISED_SYMBOL = Pattern.compile("\\b(?:H_\\{|H_t\\b|C_\\{|C_t\\b|Tanh\\()");
  /** A weight or bias in an equation: W_ih, b_hh, b_i{r,z}, W_fc, b_bridge. */
  private static final Pattern PARAMETER_SYMBOL = Pattern.compile("\\b([Wb])_(\\{[^}]*\\}|[a-z]+)");

  static Stream<Path> goldens() throws IOException {
    try (Stream<Path> files = Files.list(GoldenTest.goldens())) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList().stream();
    }
  }

  @Test
  void everyModelOfGoldenTestHasAGolden() throws IOException {
    assertEquals(GoldenTest.models().count(), goldens().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void noLineIsWiderThanTheLayoutWidth(Path golden) throws IOException {
    List<String> wide = new ArrayList<>();
    List<String> lines = lines(golden);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).length() > Layout.WIDTH) {
        wide.add((i + 1) + ": " + lines.get(i));
      }
    }
    assertTrue(wide.isEmpty(), golden.getFileName() + " has lines over " + Layout.WIDTH + " columns:\n"
        + String.join("\n", wide));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void noPlaceholderIsLeftUnfilled(Path golden) throws IOException {
    List<String> faults = new ArrayList<>();
    for (String comment : comments(golden)) {
      if (PLACEHOLDER.matcher(comment).find()) {
        faults.add("placeholder: " + comment);
      }
      Matcher shape = SHAPE.matcher(comment);
      while (shape.find()) {
        for (String dimension : shape.group(1).split(",")) {
          if (!DIMENSION.matcher(dimension.strip()).matches()) {
            faults.add("shape with a word in it, " + shape.group() + ": " + comment);
          }
        }
      }
      if (CAPITALISED_SYMBOL.matcher(comment).find()) {
        faults.add("capitalised symbol: " + comment);
      }
    }
    assertTrue(faults.isEmpty(), golden.getFileName() + ":\n" + String.join("\n", faults));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void equationsMentionOnlyParametersTheModelHas(Path golden) throws IOException {
    String text = Files.readString(golden, StandardCharsets.UTF_8);
    List<String> parameters = parameterNames(text);
    assertFalse(parameters.isEmpty(), "no PARAMETER_NAMES in " + golden);
    List<String> faults = new ArrayList<>();
    for (String comment : comments(golden)) {
      Matcher m = PARAMETER_SYMBOL.matcher(comment);
      while (m.find()) {
        String needed = pytorchFragment(m.group(1), m.group(2));
        if (parameters.stream().noneMatch(p -> p.contains(needed))) {
          faults.add(m.group() + " (no parameter named *" + needed + "*): " + comment);
        }
      }
    }
    assertTrue(faults.isEmpty(), golden.getFileName() + " has equations with parameters it lacks:\n"
        + String.join("\n", faults));
  }

  /** The scan itself can fail: a bias term in a model without biases is caught. */
  @Test
  void theParameterScanCatchesABiasTheModelLacks() {
    List<String> noBias = List.of("rnn.weight_ih_l0", "rnn.weight_hh_l0", "fc.weight", "fc.bias");
    String needed = pytorchFragment("b", "hh");
    assertTrue(noBias.stream().noneMatch(p -> p.contains(needed)));
    assertTrue(noBias.stream().anyMatch(p -> p.contains(pytorchFragment("W", "ih"))));
    assertTrue(noBias.stream().anyMatch(p -> p.contains(pytorchFragment("b", "fc"))));
    assertFalse(DIMENSION.matcher("width").matches());
    assertTrue(CAPITALISED_SYMBOL.matcher("H_{t-1} of every step").find());
  }

  /**
   * The part of a PyTorch parameter name an equation's symbol stands for: {@code W_ih},
   * {@code W_i{r,z}} and {@code W_in} → {@code weight_ih}; {@code b_hn} → {@code bias_hh};
   * {@code W_fc} → {@code fc.weight}; {@code b_bridge} → {@code bridge.bias}.
   */
  static String pytorchFragment(String letter, String suffix) {
    String kind = letter.equals("W") ? "weight" : "bias";
    if (suffix.equals("fc") || suffix.equals("bridge") || suffix.equals("init")) {
      return suffix + "." + kind;
    }
    return kind + (suffix.startsWith("i") ? "_ih" : "_hh");
  }

  private static List<String> parameterNames(String text) {
    int start = text.indexOf("PARAMETER_NAMES = List.of(");
    if (start < 0) {
      return List.of();
    }
    String list = text.substring(start, text.indexOf(");", start));
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(list);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Javadoc and line-comment lines, without their markers. */
  private static List<String> comments(Path golden) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : lines(golden)) {
      String t = line.strip();
      if (t.startsWith("//")) {
        out.add(t.substring(2).strip());
      } else if (t.startsWith("/**") || t.startsWith("* ") || t.equals("*")) {
        out.add(t.replaceFirst("^/?\\*+", "").replaceFirst("\\*/$", "").strip());
      }
    }
    return out;
  }

  private static List<String> lines(Path golden) throws IOException {
    return Files.readAllLines(golden, StandardCharsets.UTF_8);
  }
}
