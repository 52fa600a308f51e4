package dev.unroll.training;

import dev.unroll.runtime.CellType;
import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.Npz;
import dev.unroll.runtime.Topology;
import dev.unroll.runtime.UnrolledModel;
import dev.unroll.runtime.Weights;
import dev.unroll.training.optim.Optimizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training checkpoint: everything needed to continue training exactly where it stopped.
 *
 * <p>The file is a zip archive of stored entries, in this order:
 * <ul>
 *   <li>{@code checkpoint.properties}: {@code format=unroll-checkpoint}, the format {@code version},
 *       the model's {@link ModelConfig} ({@code config.hidden=16}, ...), the optimizer's class and
 *       settings, the data position, the RNG state (base64) and the caller's metadata
 *       ({@code meta.<key>});
 *   <li>{@code weights.npz}: the parameters under their PyTorch names (a NumPy archive that
 *       {@code numpy.load} reads once extracted);
 *   <li>{@code optimizer.npz}: the optimizer's {@link Optimizer#state()} (when there is an optimizer);
 *   <li>{@code extra.npz}: further named arrays, such as a carried recurrent state (when there are
 *       any);
 *   <li>{@code checksum.sha256}: the hex SHA-256 of every entry before it (name, length, bytes), which
 *       {@link #read} verifies.
 * </ul>
 *
 * <p>{@link #save} writes a temporary file in the target's directory, forces it to disk, and renames it
 * atomically over the target, so a crash leaves either the old checkpoint or the new one, never a mix.
 */
public final class Checkpoint {

  /** The format version this class writes; it reads this version and older. */
  public static final int FORMAT_VERSION = 1;

  private static final String MAGIC = "unroll-checkpoint";
  private static final String PROPERTIES = "checkpoint.properties";
  private static final String WEIGHTS = "weights.npz";
  private static final String OPTIMIZER = "optimizer.npz";
  private static final String EXTRA = "extra.npz";
  private static final String CHECKSUM = "checksum.sha256";

  private Checkpoint() {}

  /**
   * Everything a checkpoint holds.
   *
   * @param formatVersion the version of the format the file was written in
   * @param config the configuration of the model that was saved
   * @param weights the parameters by name
   * @param optimizerType the optimizer's simple class name ({@code Adam}), or null without optimizer
   * @param optimizerDescription the optimizer's {@code toString()} (its settings), or null
   * @param optimizerState the optimizer's state, empty without optimizer
   * @param rngState the caller's random generator state (may be empty)
   * @param dataPosition the data position (for {@link dev.unroll.training.data.BatchSource#seek})
   * @param metadata the caller's metadata
   * @param extraArrays further named arrays (may be empty)
   */
  public record Contents(
      int formatVersion,
      ModelConfig config,
      Map<String, INDArray> weights,
      String optimizerType,
      String optimizerDescription,
      Map<String, INDArray> optimizerState,
      byte[] rngState,
      long dataPosition,
      Map<String, String> metadata,
      Map<String, INDArray> extraArrays) {

    /** The RNG state read as big-endian longs (as {@link #save} with a {@code long[]} wrote it). */
    public long[] rngStateLongs() {
      if (rngState.length % 8 != 0) {
        throw new IllegalStateException(
            "the RNG state has " + rngState.length + " bytes, not a whole number of longs");
      }
      long[] out = new long[rngState.length / 8];
      ByteBuffer.wrap(rngState).asLongBuffer().get(out);
      return out;
    }
  }

  /**
   * Saves a checkpoint.
   *
   * @param file the checkpoint to create or replace (atomically)
   * @param model the model whose parameters and configuration are saved
   * @param optimizer its optimizer, or null
   * @param rngState the state of the caller's random generator, or null
   * @param dataPosition where the data continues
   * @param metadata anything else (keys and values are text), or null
   */
  public static void save(
      Path file, UnrolledModel model, Optimizer optimizer, byte[] rngState, long dataPosition,
      Map<String, String> metadata) throws IOException {
    save(file, model, optimizer, rngState, dataPosition, metadata, Map.of());
  }

  /** As {@link #save(Path, UnrolledModel, Optimizer, byte[], long, Map)}, with the RNG state as longs. */
  public static void save(
      Path file, UnrolledModel model, Optimizer optimizer, long[] rngState, long dataPosition,
      Map<String, String> metadata) throws IOException {
    save(file, model, optimizer, longsToBytes(rngState), dataPosition, metadata, Map.of());
  }

  /**
   * As {@link #save(Path, UnrolledModel, Optimizer, byte[], long, Map)}, with further named arrays
   * (such as the recurrent state carried by truncated BPTT).
   */
  public static void save(
      Path file, UnrolledModel model, Optimizer optimizer, byte[] rngState, long dataPosition,
      Map<String, String> metadata, Map<String, INDArray> extraArrays) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(model, "model");
    Properties p = new Properties();
    p.setProperty("format", MAGIC);
    p.setProperty("version", Integer.toString(FORMAT_VERSION));
    writeConfig(p, model.config());
    p.setProperty("dataType", model.dataType().name());
    if (optimizer != null) {
      p.setProperty("optimizer", optimizer.getClass().getSimpleName());
      p.setProperty("optimizer.description", optimizer.toString());
    }
    p.setProperty("dataPosition", Long.toString(dataPosition));
    p.setProperty("rng", Base64.getEncoder().encodeToString(rngState == null ? new byte[0] : rngState));
    if (metadata != null) {
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        p.setProperty("meta." + e.getKey(), Objects.requireNonNull(e.getValue(), e.getKey()));
      }
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(PROPERTIES, properties(p));
    entries.put(WEIGHTS, npzBytes(model.parameters()));
    if (optimizer != null) {
      entries.put(OPTIMIZER, npzBytes(optimizer.state()));
    }
    if (extraArrays != null && !extraArrays.isEmpty()) {
      entries.put(EXTRA, npzBytes(extraArrays));
    }
    entries.put(CHECKSUM, HexFormat.of().formatHex(digest(entries)).getBytes(StandardCharsets.US_ASCII));
    writeAtomically(file, entries);
  }

  /**
   * Reads and verifies a checkpoint without applying it.
   *
   * @throws NoSuchFileException if there is no such file
   * @throws IOException if the file is truncated or corrupt (not a zip archive, an entry missing, a
   *     checksum that does not match), of another format, or of a newer version; the message says which
   */
  public static Contents read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such checkpoint");
    }
    Map<String, byte[]> entries = readEntries(file);
    byte[] stored = entries.remove(CHECKSUM);
    if (stored == null) {
      throw new IOException(
          "checkpoint " + file + " is truncated or corrupt: it has no " + CHECKSUM + " entry");
    }
    String expected = HexFormat.of().formatHex(digest(entries));
    if (!expected.equals(new String(stored, StandardCharsets.US_ASCII).trim())) {
      throw new IOException(
          "checkpoint " + file + " is corrupt: its SHA-256 checksum does not match its contents");
    }
    byte[] props = require(entries, PROPERTIES, file);
    Properties p = new Properties();
    p.load(new StringReader(new String(props, StandardCharsets.UTF_8)));
    if (!MAGIC.equals(p.getProperty("format"))) {
      throw new IOException(file + " is not an unroll checkpoint (format is " + p.getProperty("format") + ")");
    }
    int version = (int) number(p, "version", file);
    if (version > FORMAT_VERSION || version < 1) {
      throw new IOException(
          "checkpoint " + file + " has format version " + version + ", but this reader knows versions 1 to "
              + FORMAT_VERSION);
    }
    ModelConfig config = readConfig(p, file);
    Map<String, INDArray> weights = npzRead(require(entries, WEIGHTS, file), file, WEIGHTS);
    String optimizerType = p.getProperty("optimizer");
    Map<String, INDArray> optimizerState =
        entries.containsKey(OPTIMIZER) ? npzRead(entries.get(OPTIMIZER), file, OPTIMIZER) : Map.of();
    if (optimizerType != null && optimizerState.isEmpty()) {
      throw new IOException("checkpoint " + file + " names an optimizer but lacks " + OPTIMIZER);
    }
    Map<String, INDArray> extra =
        entries.containsKey(EXTRA) ? npzRead(entries.get(EXTRA), file, EXTRA) : Map.of();
    byte[] rng;
    try {
      rng = Base64.getDecoder().decode(p.getProperty("rng", ""));
    } catch (IllegalArgumentException e) {
      throw new IOException("checkpoint " + file + " has an unreadable RNG state: " + e.getMessage(), e);
    }
    Map<String, String> metadata = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("meta.")) {
        metadata.put(key.substring(5), p.getProperty(key));
      }
    }
    return new Contents(
        version, config, Collections.unmodifiableMap(weights), optimizerType,
        p.getProperty("optimizer.description"), Collections.unmodifiableMap(optimizerState), rng,
        number(p, "dataPosition", file), Collections.unmodifiableMap(metadata),
        Collections.unmodifiableMap(extra));
  }

  /**
   * Reads and verifies a checkpoint and loads it into a model and optimizer: the parameters are
   * replaced (strictly, by name and shape) and the optimizer's state restored. The RNG state, data
   * position and metadata are returned for the caller to apply.
   *
   * @param optimizer the optimizer to restore, or null to load only the weights
   * @throws IOException as {@link #read}
   * @throws IllegalArgumentException if the model's configuration differs from the saved one (listing
   *     every difference), or the optimizer is of another kind than the saved one or the checkpoint has
   *     none; nothing is loaded then
   */
  public static Contents load(Path file, UnrolledModel model, Optimizer optimizer)
      throws IOException {
    Objects.requireNonNull(model, "model");
    Contents c = read(file);
    List<String> differences = model.config().differences(c.config());
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException(
          "checkpoint " + file + " was saved from a model of another configuration ("
              + model.config().model() + " here, " + c.config().model() + " there): "
              + String.join("; ", differences));
    }
    if (optimizer != null) {
      if (c.optimizerType() == null) {
        throw new IllegalArgumentException(
            "checkpoint " + file + " holds no optimizer state to load into "
                + optimizer.getClass().getSimpleName() + "; pass a null optimizer to load only the weights");
      }
      if (!c.optimizerType().equals(optimizer.getClass().getSimpleName())) {
        throw new IllegalArgumentException(
            "checkpoint " + file + " holds the state of " + c.optimizerDescription() + ", not of a "
                + optimizer.getClass().getSimpleName());
      }
    }
    Weights.importInto(model.parameters(), c.weights(), file.toString());
    if (optimizer != null) {
      optimizer.loadState(c.optimizerState());
    }
    return c;
  }

  // ---------------------------------------------------------------------------------------------

  private static void writeConfig(Properties p, ModelConfig c) {
    p.setProperty("config.model", c.model());
    p.setProperty("config.cell", c.cell().name());
    p.setProperty("config.features", Integer.toString(c.features()));
    p.setProperty("config.vocab", Integer.toString(c.vocab()));
    p.setProperty("config.embeddingDim", Integer.toString(c.embeddingDim()));
    p.setProperty("config.hidden", Integer.toString(c.hidden()));
    p.setProperty("config.layers", Integer.toString(c.layers()));
    p.setProperty("config.bidirectional", Boolean.toString(c.bidirectional()));
    p.setProperty("config.bias", Boolean.toString(c.bias()));
    p.setProperty("config.dropout", Double.toString(c.dropout()));
    p.setProperty("config.topology", c.topology().name());
    p.setProperty("config.output", Integer.toString(c.output()));
    p.setProperty("config.unrollSteps", Integer.toString(c.unrollSteps()));
    p.setProperty("config.unrollFactor", Integer.toString(c.unrollFactor()));
  }

  private static ModelConfig readConfig(Properties p, Path file) throws IOException {
    try {
      return new ModelConfig(
          text(p, "config.model", file),
          CellType.valueOf(text(p, "config.cell", file)),
          (int) number(p, "config.features", file),
          (int) number(p, "config.vocab", file),
          (int) number(p, "config.embeddingDim", file),
          (int) number(p, "config.hidden", file),
          (int) number(p, "config.layers", file),
          Boolean.parseBoolean(text(p, "config.bidirectional", file)),
          Boolean.parseBoolean(text(p, "config.bias", file)),
          Double.parseDouble(text(p, "config.dropout", file)),
          Topology.valueOf(text(p, "config.topology", file)),
          (int) number(p, "config.output", file),
          (int) number(p, "config.unrollSteps", file),
          (int) number(p, "config.unrollFactor", file));
    } catch (IllegalArgumentException e) {
      throw new IOException("checkpoint " + file + " has an unreadable model configuration: " + e.getMessage(), e);
    }
  }

  private static String text(Properties p, String key, Path file) throws IOException {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IOException("checkpoint " + file + " lacks the property " + key);
    }
    return v;
  }

  private static long number(Properties p, String key, Path file) throws IOException {
    String v = text(p, key, file);
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IOException("checkpoint " + file + " has " + key + " = '" + v + "', not a number", e);
    }
  }

  private static byte[] properties(Properties p) throws IOException {
    StringWriter w = new StringWriter();
    p.store(w, null);
    // drop the date comment so that equal contents give equal bytes
    StringBuilder out = new StringBuilder();
    List<String> lines = new ArrayList<>(w.toString().lines().toList());
    Collections.sort(lines);
    for (String line : lines) {
      if (!line.startsWith("#")) {
        out.append(line).append('\n');
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] npzBytes(Map<String, INDArray> arrays) throws IOException {
    Path tmp = Files.createTempFile("unroll-checkpoint-", ".npz");
    try {
      Npz.write(tmp, arrays);
      return Files.readAllBytes(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Map<String, INDArray> npzRead(byte[] bytes, Path file, String entry)
      throws IOException {
    Path tmp = Files.createTempFile("unroll-checkpoint-", ".npz");
    try {
      Files.write(tmp, bytes);
      return Npz.read(tmp);
    } catch (IOException e) {
      throw new IOException("entry " + entry + " of checkpoint " + file + " is corrupt: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static byte[] digest(Map<String, byte[]> entries) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(ByteBuffer.allocate(8).putLong(e.getValue().length).array());
      sha.update(e.getValue());
    }
    return sha.digest();
  }

  private static void writeAtomically(Path file, Map<String, byte[]> entries) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    readableByAll(tmp);
    boolean moved = false;
    try {
      try (FileChannel channel =
              FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          ZipOutputStream zip = new ZipOutputStream(Channels.newOutputStream(channel))) {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          byte[] data = e.getValue();
          CRC32 crc = new CRC32();
          crc.update(data);
          ZipEntry entry = new ZipEntry(e.getKey());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(data.length);
          entry.setCompressedSize(data.length);
          entry.setCrc(crc.getValue());
          entry.setTime(0);
          zip.putNextEntry(entry);
          zip.write(data);
          zip.closeEntry();
        }
        zip.finish();
        zip.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
    syncDirectory(dir);
  }

  /** Makes the rename durable where the platform allows opening a directory (Linux does). */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException e) {
      // not supported here (e.g. Windows); the file itself was forced
    }
  }

  private static Map<String, byte[]> readEntries(Path file) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "checkpoint " + file + " is truncated or corrupt: it cannot be opened as a zip archive ("
              + e.getMessage() + ")", e);
    }
    try (zip) {
      Enumeration<? extends ZipEntry> en = zip.entries();
      while (en.hasMoreElements()) {
        ZipEntry entry = en.nextElement();
        if (out.containsKey(entry.getName())) {
          throw new IOException("checkpoint " + file + " is corrupt: entry " + entry.getName() + " appears twice");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = zip.getInputStream(entry)) {
          in.transferTo(bytes);
        }
        out.put(entry.getName(), bytes.toByteArray());
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith("checkpoint ")) {
        throw io;
      }
      throw new IOException(
          "checkpoint " + file + " is truncated or corrupt (" + e.getMessage() + ")", e);
    }
    return out;
  }

  private static byte[] require(Map<String, byte[]> entries, String name, Path file)
      throws IOException {
    byte[] b = entries.get(name);
    if (b == null) {
      throw new IOException("checkpoint " + file + " is truncated or corrupt: it lacks entry " + name);
    }
    return b;
  }

  private static byte[] longsToBytes(long[] longs) {
    if (longs == null) {
      return new byte[0];
    }
    ByteBuffer b = ByteBuffer.allocate(longs.length * 8);
    b.asLongBuffer().put(longs);
    return b.array();
  }

  /** Temporary files are created owner-only; the file they become is readable by all, as usual. */
  static void readableByAll(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: keep the default permissions
    }
  }
}
