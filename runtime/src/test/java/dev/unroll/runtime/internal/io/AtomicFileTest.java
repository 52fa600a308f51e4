package dev.unroll.runtime.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Npz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class AtomicFileTest {

  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theNextWriteSweepsTemporariesThatAKilledWriteOfTheSameTargetLeft() throws IOException {
    Path target = dir.resolve("w.npz");
    // what killed writes leave: of this target, and of others that must be kept
    Files.writeString(dir.resolve(".w.npz.123456789.unroll-tmp"), "half");
    Files.writeString(dir.resolve(".w.npz.42.unroll-tmp"), "half");
    Files.writeString(dir.resolve(".w.npz.old.123.unroll-tmp"), "another target's");
    Files.writeString(dir.resolve(".w.npz.12x.unroll-tmp"), "not ours");
    Files.writeString(dir.resolve("notes.txt"), "unrelated");
    assertEquals(2, AtomicFile.temporaries(target).size());

    Npz.write(target, Map.of("a", Nd4j.createFromArray(1.0, 2.0)));

    assertEquals(
        List.of(".w.npz.12x.unroll-tmp", ".w.npz.old.123.unroll-tmp", "notes.txt", "w.npz"), names());
    assertEquals(Nd4j.createFromArray(1.0, 2.0), Npz.read(target).get("a"));
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    Path target = dir.resolve("data.bin");
    Files.writeString(target, "old");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFile.write(
                    target,
                    out -> {
                      out.write("partial".getBytes(StandardCharsets.US_ASCII));
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("data.bin"), names());
  }

  @Test
  void writesTheContentAndMakesItReadableByAll() throws IOException {
    Path target = dir.resolve("data.bin");
    AtomicFile.write(target, out -> out.write(new byte[] {1, 2, 3}));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
    assertTrue(
        Files.getPosixFilePermissions(target).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ));
    assertEquals(List.of("data.bin"), names());
  }
}
