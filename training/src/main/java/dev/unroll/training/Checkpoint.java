package dev.unroll.training;

import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.ModelConfig.CellType;
import dev.unroll.runtime.ModelConfig.LossType;
import dev.unroll.runtime.ModelConfig.Topology;
import dev.unroll.runtime.UnrolledModel;
import dev.unroll.runtime.internal.io.AtomicFile;
import dev.unroll.runtime.internal.io.NpzReader;
import dev.unroll.runtime.internal.io.NpzWriter;
import dev.unroll.runtime.internal.io.ParameterImport;
import dev.unroll.runtime.internal.io.StoredZipWriter;
import dev.unroll.runtime.internal.io.ZipArchive;
import dev.unroll.training.optim.Optimizer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
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
 * <p>{@link #save} builds the entries in memory, writes them to a temporary file in the target's
 * directory ({@code .<name>.<digits>.unroll-tmp}), forces it to disk, and renames it atomically over the
 * target, so a crash (even {@code kill -9}) leaves either the old checkpoint or the new one, never a mix;
 * the next save deletes a temporary file that a killed save left behind.
 *
 * <p>A checkpoint is untrusted input when read: {@link #read} refuses entries this format does not
 * have and compressed entries (it writes every entry stored), so nothing it reads can be larger than
 * the file, and it streams the checksum over the entries rather than holding them; {@link #load} reads
 * only the weights the model has.
 */
public final class Checkpoint {

  /**
   * The format version this class writes; it reads this version and older. Version 2 added the
   * model's loss ({@code config.loss}); a version-1 file, which has none, is of a cross-entropy model.
   */
  public static final int FORMAT_VERSION = 2;

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
    entries.put(WEIGHTS, NpzWriter.toBytes(model.parameters()));
    if (optimizer != null) {
      entries.put(OPTIMIZER, NpzWriter.toBytes(optimizer.state()));
    }
    if (extraArrays != null && !extraArrays.isEmpty()) {
      entries.put(EXTRA, NpzWriter.toBytes(extraArrays));
    }
    MessageDigest sha = sha256();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      digestHeader(sha, e.getKey(), e.getValue().length);
      sha.update(e.getValue());
    }
    entries.put(CHECKSUM, HexFormat.of().formatHex(sha.digest()).getBytes(StandardCharsets.US_ASCII));
    Path target = file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    AtomicFile.write(
        target,
        out -> {
          StoredZipWriter zip = new StoredZipWriter(out);
          for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            zip.put(e.getKey(), e.getValue());
          }
          zip.finish();
        });
  }

  /**
   * Reads and verifies a checkpoint without applying it.
   *
   * @throws NoSuchFileException if there is no such file
   * @throws IOException if the file is truncated or corrupt (not a zip archive, an entry missing, a
   *     checksum that does not match), of another format, or of a newer version; the message says which
   */
  public static Contents read(Path file) throws IOException {
    try (Verified v = Verified.open(file)) {
      return v.contents(v.arrays(WEIGHTS, true), v.arrays(OPTIMIZER, false));
    }
  }

  /**
   * Reads and verifies a checkpoint and loads it into a model and optimizer: the parameters are
   * replaced (strictly, by name and shape) and the optimizer's state restored. The RNG state, data
   * position and metadata are returned for the caller to apply; the returned {@link Contents#weights()}
   * are the model's own (now loaded) parameters. Of the saved weights only the model's are read (their
   * headers checked against the model before their data), so memory is bounded by the model.
   *
   * @param optimizer the optimizer to restore, or null to load only the weights
   * @throws IOException as {@link #read}; nothing is loaded then
   * @throws IllegalArgumentException if the model's configuration differs from the saved one (listing
   *     every difference), or the optimizer is of another kind than the saved one or the checkpoint has
   *     none; nothing is loaded then
   */
  public static Contents load(Path file, UnrolledModel model, Optimizer optimizer)
      throws IOException {
    Objects.requireNonNull(model, "model");
    try (Verified v = Verified.open(file)) {
      ModelConfig saved = readConfig(v.properties, file);
      List<String> differences = model.config().differences(saved);
      if (!differences.isEmpty()) {
        throw new IllegalArgumentException(
            "checkpoint " + file + " was saved from a model of another configuration ("
                + model.config().model() + " here, " + saved.model() + " there): "
                + String.join("; ", differences));
      }
      String optimizerType = v.properties.getProperty("optimizer");
      if (optimizer != null) {
        if (optimizerType == null) {
          throw new IllegalArgumentException(
              "checkpoint " + file + " holds no optimizer state to load into "
                  + optimizer.getClass().getSimpleName()
                  + "; pass a null optimizer to load only the weights");
        }
        if (!optimizerType.equals(optimizer.getClass().getSimpleName())) {
          throw new IllegalArgumentException(
              "checkpoint " + file + " holds the state of "
                  + v.properties.getProperty("optimizer.description") + ", not of a "
                  + optimizer.getClass().getSimpleName());
        }
      }
      // everything else is read before the weights change, so that a corrupt entry changes nothing
      Map<String, INDArray> optimizerState = v.arrays(OPTIMIZER, false);
      Contents c = v.contents(model.parameters(), optimizerState);
      try (NpzReader weights = v.npz(WEIGHTS)) {
        ParameterImport.importInto(model.parameters(), weights, file.toString());
      }
      if (optimizer != null) {
        optimizer.loadState(optimizerState);
      }
      return c;
    }
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
    p.setProperty("config.loss", c.loss().name());
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
          (int) number(p, "config.unrollFactor", file),
          // version 1 knew only cross-entropy and wrote no loss
          LossType.valueOf(p.getProperty("config.loss", LossType.CROSS_ENTROPY.name())));
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** What the checksum covers before an entry's bytes: its name, a zero byte and its length. */
  private static void digestHeader(MessageDigest sha, String name, long length) {
    sha.update(name.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(ByteBuffer.allocate(8).putLong(length).array());
  }

  /**
   * An open checkpoint whose entries, checksum, format and version have been checked; its arrays are
   * read on demand, in place.
   */
  private static final class Verified implements Closeable {
    private static final List<String> KNOWN = List.of(PROPERTIES, WEIGHTS, OPTIMIZER, EXTRA, CHECKSUM);
    /** {@code checksum.sha256} holds 64 hex digits. */
    private static final long MAX_CHECKSUM = 256;

    final Path file;
    final ZipArchive zip;
    final Map<String, ZipArchive.Entry> entries = new LinkedHashMap<>();
    final Properties properties = new Properties();
    final int version;

    static Verified open(Path file) throws IOException {
      Objects.requireNonNull(file, "file");
      if (!Files.exists(file)) {
        throw new NoSuchFileException(file.toString(), null, "no such checkpoint");
      }
      ZipArchive zip = ZipArchive.open(file, "checkpoint " + file);
      try {
        return new Verified(file, zip);
      } catch (IOException | RuntimeException e) {
        zip.close();
        throw e;
      }
    }

    private Verified(Path file, ZipArchive zip) throws IOException {
      this.file = file;
      this.zip = zip;
      for (ZipArchive.Entry e : zip.entries()) {
        if (!KNOWN.contains(e.name())) {
          throw new IOException(
              "checkpoint " + file + " holds an entry '" + e.name() + "', which checkpoints do not"
                  + " have (they hold " + String.join(", ", KNOWN) + "): it was altered or is not"
                  + " an unroll checkpoint");
        }
        if (e.method() != ZipArchive.STORED) {
          throw new IOException(
              "checkpoint " + file + " holds entry " + e.name() + " compressed, but checkpoints"
                  + " store every entry uncompressed: it was altered or is not an unroll checkpoint");
        }
        entries.put(e.name(), e);
      }
      ZipArchive.Entry checksum = entries.get(CHECKSUM);
      if (checksum == null) {
        throw new IOException(
            "checkpoint " + file + " is truncated or corrupt: it has no " + CHECKSUM + " entry");
      }
      MessageDigest sha = sha256();
      byte[] buffer = new byte[1 << 16];
      for (ZipArchive.Entry e : entries.values()) {
        if (e != checksum) {
          digestHeader(sha, e.name(), e.size());
          try (InputStream in = zip.open(e)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
              sha.update(buffer, 0, n);
            }
          }
        }
      }
      String stored =
          new String(zip.readAll(checksum, MAX_CHECKSUM), StandardCharsets.US_ASCII).trim();
      if (!HexFormat.of().formatHex(sha.digest()).equals(stored)) {
        throw new IOException(
            "checkpoint " + file + " is corrupt: its SHA-256 checksum does not match its contents");
      }
      byte[] props = zip.readAll(require(PROPERTIES), Integer.MAX_VALUE);
      try {
        properties.load(new StringReader(new String(props, StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "checkpoint " + file + " has unreadable properties: " + e.getMessage(), e);
      }
      if (!MAGIC.equals(properties.getProperty("format"))) {
        throw new IOException(
            file + " is not an unroll checkpoint (format is " + properties.getProperty("format")
                + ")");
      }
      long v = number(properties, "version", file);
      if (v > FORMAT_VERSION || v < 1) {
        throw new IOException(
            "checkpoint " + file + " has format version " + v
                + ", but this reader knows versions 1 to " + FORMAT_VERSION);
      }
      version = (int) v;
    }

    private ZipArchive.Entry require(String name) throws IOException {
      ZipArchive.Entry e = entries.get(name);
      if (e == null) {
        throw new IOException(
            "checkpoint " + file + " is truncated or corrupt: it lacks entry " + name);
      }
      return e;
    }

    /** The arrays of an npz entry (empty if it is absent and not required), in archive order. */
    Map<String, INDArray> arrays(String name, boolean required) throws IOException {
      if (!required && !entries.containsKey(name)) {
        return Map.of();
      }
      try (NpzReader r = npz(name)) {
        return r.readAll();
      }
    }

    /** An npz entry opened in place. */
    NpzReader npz(String name) throws IOException {
      return NpzReader.nested(zip, require(name), name + " in checkpoint " + file);
    }

    /** Everything but the weights and optimizer state, which the caller has read. */
    Contents contents(Map<String, INDArray> weights, Map<String, INDArray> optimizerState)
        throws IOException {
      ModelConfig config = readConfig(properties, file);
      String optimizerType = properties.getProperty("optimizer");
      if (optimizerType != null && !entries.containsKey(OPTIMIZER)) {
        throw new IOException("checkpoint " + file + " names an optimizer but lacks " + OPTIMIZER);
      }
      Map<String, INDArray> extra = arrays(EXTRA, false);
      byte[] rng;
      try {
        rng = Base64.getDecoder().decode(properties.getProperty("rng", ""));
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "checkpoint " + file + " has an unreadable RNG state: " + e.getMessage(), e);
      }
      Map<String, String> metadata = new TreeMap<>();
      for (String key : properties.stringPropertyNames()) {
        if (key.startsWith("meta.")) {
          metadata.put(key.substring(5), properties.getProperty(key));
        }
      }
      return new Contents(
          version, config, Collections.unmodifiableMap(weights), optimizerType,
          properties.getProperty("optimizer.description"),
          Collections.unmodifiableMap(optimizerState), rng,
          number(properties, "dataPosition", file), Collections.unmodifiableMap(metadata),
          Collections.unmodifiableMap(extra));
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
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
    AtomicFile.readableByAll(file);
  }
}
