package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.internal.io.AtomicFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoints survive {@code kill -9}: a child JVM saves in a loop and is killed at a random moment
 * after its first save, ten times; after each kill the file reads back whole and consistent, the last completed save or the
 * one in progress (never a mix), and at most the killed save's temporary file is left, which the next
 * save deletes.
 */
class CheckpointKillTest {

  private static final int ROUNDS = 10;

  @TempDir Path dir;

  @Test
  void aKilledSaveLeavesTheOldOrTheNewCheckpoint() throws Exception {
    Path file = dir.resolve("ck.zip");
    Random random = new Random(20240607);
    long next = 1;
    long lastSaved = 0; // none yet
    int killedDuringSave = 0;
    long completed = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Process child = start(file, next);
      CountDownLatch firstSave = new CountDownLatch(1);
      List<String> lines = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> reader =
          CompletableFuture.runAsync(() -> collect(child, lines, firstSave));
      // after the child's first save (which takes about a second, while the JIT warms up), a random
      // moment within the next few saves (0.1-0.2 s each on an idle machine)
      assertTrue(firstSave.await(180, TimeUnit.SECONDS), () -> "no save completed: " + lines);
      Thread.sleep(random.nextInt(400));
      assertTrue(child.isAlive(), () -> "the child ended by itself: " + String.join("\n", lines));
      child.destroyForcibly(); // SIGKILL
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      reader.get(30, TimeUnit.SECONDS);

      long started = last(lines, "saving ", next - 1);
      long saved = last(lines, "saved ", lastSaved);
      completed += lines.stream().filter(l -> l.startsWith("saved ")).count();
      if (started > saved) {
        killedDuringSave++;
      }
      String where = "round " + round + " (saves " + next + " to " + started + ", " + saved
          + " the last completed)";
      Checkpoint.Contents c = Checkpoint.read(file);
      long gen = c.dataPosition();
      assertTrue(gen == saved || gen == started, where + ": the file holds generation " + gen);
      assertConsistent(c, gen, where);
      List<Path> temporaries = AtomicFile.temporaries(file);
      assertTrue(temporaries.size() <= 1, where + ": " + temporaries);
      lastSaved = gen;
      next = started + 1;
    }
    System.out.printf(
        "CheckpointKillTest: %d kills, %d during a save, %d saves completed%n",
        ROUNDS, killedDuringSave, completed);
    assertTrue(killedDuringSave >= ROUNDS / 2, killedDuringSave + " kills during a save");
    assertTrue(completed >= ROUNDS, completed + " saves completed");

    // the next save deletes what the killed one left
    Checkpoint.save(file, new UnrolledTestModels_CharLm(1), null, new long[0], 0, null);
    assertEquals(List.of(), AtomicFile.temporaries(file));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  private static void assertConsistent(Checkpoint.Contents c, long gen, String where) {
    assertEquals(Long.toString(gen), c.metadata().get("generation"), where);
    assertEquals(gen, c.rngStateLongs()[0], where);
    assertFalse(c.weights().isEmpty(), where);
    for (Map.Entry<String, INDArray> w : c.weights().entrySet()) {
      assertEquals(gen, w.getValue().minNumber().doubleValue(), where + " " + w.getKey());
      assertEquals(gen, w.getValue().maxNumber().doubleValue(), where + " " + w.getKey());
    }
    assertEquals("Adam", c.optimizerType(), where);
    assertFalse(c.optimizerState().isEmpty(), where);
  }

  private static Process start(Path file, long first) throws IOException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            CheckpointSaverMain.class.getName(),
            file.toString(),
            Long.toString(first));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static void collect(Process child, List<String> lines, CountDownLatch firstSave) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
        if (line.startsWith("saved ")) {
          firstSave.countDown();
        }
      }
    } catch (IOException e) {
      // the child was killed
    }
  }

  /** The number after the last line starting with {@code prefix}, or {@code otherwise}. */
  private static long last(List<String> lines, String prefix, long otherwise) {
    long v = otherwise;
    synchronized (lines) {
      for (String line : lines) {
        if (line.startsWith(prefix)) {
          v = Long.parseLong(line.substring(prefix.length()));
        }
      }
    }
    return v;
  }
}
