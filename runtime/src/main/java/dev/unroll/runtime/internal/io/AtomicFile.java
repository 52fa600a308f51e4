package dev.unroll.runtime.internal.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Replaces a file so that a crash at any moment (a {@code kill -9}, a power cut after the rename was
 * made durable) leaves either the old file or the new one, whole: the content goes to a temporary file
 * in the target's directory, named {@code .<target name>.<digits>.unroll-tmp}, is forced to disk, and
 * is renamed over the target atomically, after which the directory is forced too where the platform
 * allows. A save that is killed leaves its temporary file behind; the next save of the same target
 * deletes it, so they do not pile up (two processes must therefore not save the same target at once).
 * Internal; see the package description.
 */
public final class AtomicFile {

  /** The suffix of temporary files. */
  static final String SUFFIX = ".unroll-tmp";

  /** Writes the content to a stream (which it must not close). */
  @FunctionalInterface
  public interface Content {
    /** Writes everything. */
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFile() {}

  /**
   * Replaces (or creates) {@code target} with what {@code content} writes.
   *
   * @throws IOException if it cannot be written; the target is then as it was and the temporary file
   *     is gone
   */
  public static void write(Path target, Content content) throws IOException {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    for (Path stale : temporaries(file)) {
      Files.deleteIfExists(stale);
    }
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", SUFFIX);
    readableByAll(tmp);
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        content.writeTo(
            new FilterOutputStream(out) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
              }

              @Override
              public void close() throws IOException {
                out.flush();
              }
            });
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
    syncDirectory(dir);
  }

  /** The temporary files that saves of {@code target} left behind (killed before their rename). */
  public static List<Path> temporaries(Path target) throws IOException {
    Path file = target.toAbsolutePath();
    Pattern mine =
        Pattern.compile(Pattern.quote("." + file.getFileName() + ".") + "\\d+" + Pattern.quote(SUFFIX));
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(file.getParent(), p -> mine.matcher(p.getFileName().toString()).matches())) {
      files.forEach(out::add);
    }
    return out;
  }

  /** Temporary files are created owner-only; the file they become is readable by all, as usual. */
  public static void readableByAll(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: keep the default permissions
    }
  }

  /** Makes the rename durable where the platform allows opening a directory (Linux does). */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException e) {
      // not supported here (e.g. Windows); the file itself was forced
    }
  }
}
