package dev.unroll.examples.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.Main;
import org.junit.jupiter.api.Test;

class ClassifyActivityCommandTest {

  @Test
  void options_parse() {
    ClassifyActivityCommand c = (ClassifyActivityCommand) Main.commandLine()
        .parseArgs("classify-activity", "--recordings", "300", "--epochs", "3", "--batch", "16",
            "--lr", "0.01", "--seed", "5", "--no-progress")
        .subcommand().commandSpec().userObject();
    assertEquals(300, c.recordings);
    assertEquals(3, c.epochs);
    assertEquals(16, c.batch);
    assertEquals(0.01, c.lr);
    assertEquals(5, c.seed);
    assertTrue(c.noProgress);
  }

  @Test
  void confusionTable_namesTheActivities() {
    int[][] c = {{10, 1, 0}, {0, 9, 2}, {0, 0, 11}};
    assertEquals(30 / 33.0, ClassifyActivityCommand.accuracy(c), 1e-12);
    String table = ClassifyActivityCommand.confusionTable(c);
    assertTrue(table.contains("walking") && table.contains("climbing") && table.contains("cycling"), table);
  }
}
