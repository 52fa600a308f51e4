package dev.unroll.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HelloCommandTest {

  @Test
  void hello_convergesAndPredictsEllo() {
    HelloCommand.Outcome o = HelloCommand.train(60, 0.01, 1, null);
    double[] losses = o.losses();
    assertTrue(losses[losses.length - 1] < 0.05 * losses[0],
        "the loss falls from " + losses[0] + " to " + losses[losses.length - 1]);
    assertEquals("ello", o.prediction());
    assertEquals("ello", o.continuation());
  }

  @Test
  void hello_convergesFromOtherSeeds() {
    for (long seed = 2; seed <= 4; seed++) {
      assertEquals("ello", HelloCommand.train(60, 0.01, seed, null).prediction(), "seed " + seed);
    }
  }

  @Test
  void excerpt_showsTheSummaryAndTheStepMethod() throws Exception {
    List<String> source = HelloCommand.generatedSource();
    assertTrue(source != null, "the generated source is shipped as a resource or found in target/");
    List<String> excerpt = HelloCommand.excerpt(source);
    String text = String.join("\n", excerpt);
    assertTrue(text.contains("layer 0  RNN     hidden 16"), text);
    assertTrue(text.contains("private void step(Layer l, int t)"), text);
    assertTrue(text.contains("h_t = tanh(a_t)"), text);
  }

  @Test
  void options_parse() {
    HelloCommand h = (HelloCommand) dev.unroll.examples.Main.commandLine()
        .parseArgs("hello", "--iterations", "30", "--lr", "0.02", "--seed", "5", "--no-source")
        .subcommand().commandSpec().userObject();
    assertEquals(30, h.iterations);
    assertEquals(0.02, h.lr);
    assertEquals(5, h.seed);
    assertTrue(h.noSource);
  }
}
