package dev.unroll.runtime.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A NumPy {@code .npz} archive opened for reading one array at a time: its keys come from the zip
 * directory, an array's header can be read without its data, and an array's data is read only when
 * asked for, after its shape and type have been checked against the entry's size. Internal; see the
 * package description.
 */
public final class NpzReader implements Closeable {

  /**
   * What an array's {@code .npy} header says.
   *
   * @param key the array's key (the entry name without {@code .npy})
   * @param shape its shape (empty for a 0-dimensional array)
   * @param dataType the ND4J type it is read as
   * @param numpyType its NumPy type ({@code float32})
   */
  public record ArrayInfo(String key, long[] shape, DataType dataType, String numpyType) {}

  private final ZipArchive zip;
  private final String file;
  private final Map<String, ZipArchive.Entry> entries = new LinkedHashMap<>();

  private NpzReader(ZipArchive zip, String file, boolean storedOnly) throws IOException {
    this.zip = zip;
    this.file = file;
    for (ZipArchive.Entry e : zip.entries()) {
      if (e.isDirectory()) {
        continue;
      }
      String name = e.name();
      String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
      if (entries.containsKey(key)) {
        throw new IOException(file + " holds entry '" + key + "' twice");
      }
      if (storedOnly && e.method() != ZipArchive.STORED) {
        throw new IOException(
            "entry '" + key + "' in " + file + " is compressed, but this archive is written"
                + " uncompressed: it was altered");
      }
      entries.put(key, e);
    }
  }

  /**
   * Opens a {@code .npz} file and reads its zip directory (not its arrays).
   *
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException if it is a directory, not a zip archive, or truncated or corrupt; the message
   *     names the file
   */
  public static NpzReader open(Path path) throws IOException {
    String file = path.toString();
    if (!Files.exists(path)) {
      throw new NoSuchFileException(file, null, "no such file");
    }
    if (Files.isDirectory(path)) {
      throw new IOException(file + " is a directory, not a NumPy .npz archive");
    }
    checkZipSignature(path, file);
    ZipArchive zip = ZipArchive.open(path, file);
    try {
      return new NpzReader(zip, file, false);
    } catch (IOException | RuntimeException e) {
      zip.close();
      throw e;
    }
  }

  /**
   * Opens a {@code .npz} archive stored in an entry of another archive, in place. Its own entries must
   * be stored too, so that nothing read from it can be larger than the file.
   *
   * @param where how messages name it ({@code weights.npz in checkpoint run/ck.zip})
   * @throws IOException if the entry or one of its own entries is compressed, or it is corrupt
   */
  public static NpzReader nested(ZipArchive outer, ZipArchive.Entry entry, String where)
      throws IOException {
    return new NpzReader(outer.nested(entry, where), where, true);
  }

  /** The keys, in archive order. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  /**
   * Reads an array's header only (at most the header's bytes are inflated).
   *
   * @throws IllegalArgumentException if there is no such key
   * @throws IOException if the header is malformed or does not fit the entry's size
   */
  public ArrayInfo info(String key) throws IOException {
    ZipArchive.Entry e = entry(key);
    try (InputStream in = zip.open(e)) {
      NpyHeader h = NpyHeader.read(in, e.size(), where(key));
      return new ArrayInfo(key, h.shape.clone(), h.type.dataType, h.type.numpy);
    }
  }

  /**
   * Reads one array, in C order; a 0-dimensional entry becomes a rank-0 array and {@code bool}
   * {@link DataType#BOOL}. Nothing is allocated before the header has been checked against the entry's
   * size, and the entry's CRC-32 is checked.
   *
   * @throws IllegalArgumentException if there is no such key
   * @throws IOException if the entry is not a supported, intact {@code .npy} array
   */
  public INDArray read(String key) throws IOException {
    ZipArchive.Entry e = entry(key);
    String where = where(key);
    try (InputStream in = zip.open(e)) {
      return NpyHeader.read(in, e.size(), where).readData(in, where);
    }
  }

  /** Reads every array, in archive order. */
  public Map<String, INDArray> readAll() throws IOException {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String key : entries.keySet()) {
      out.put(key, read(key));
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }

  private ZipArchive.Entry entry(String key) {
    ZipArchive.Entry e = entries.get(key);
    if (e == null) {
      throw new IllegalArgumentException(file + " has no entry '" + key + "'");
    }
    return e;
  }

  private String where(String key) {
    return "entry '" + key + "' in " + file;
  }

  private static void checkZipSignature(Path path, String file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(path)) {
      head = in.readNBytes(4);
    }
    if (head.length == 0) {
      throw new IOException(file + " is not a NumPy .npz archive (empty file)");
    }
    boolean zip =
        head.length == 4
            && head[0] == 'P'
            && head[1] == 'K'
            && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    if (!zip) {
      if (head.length >= 2 && head[0] == NpyHeader.MAGIC[0] && head[1] == 'N') {
        throw new IOException(
            file + " is not a NumPy .npz archive (not a zip file; it looks like a single .npy array)");
      }
      throw new IOException(file + " is not a NumPy .npz archive (not a zip file)");
    }
  }
}
