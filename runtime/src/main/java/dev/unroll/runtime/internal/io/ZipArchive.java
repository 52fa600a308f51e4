package dev.unroll.runtime.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a zip archive, or a stored archive nested in one, from its central directory, trusting none of
 * its numbers: every count, size and offset is checked against the bytes that are actually there before
 * anything is allocated, a deflated entry cannot claim more than deflate can produce from its compressed
 * bytes, and an entry is inflated only as far as it is read. Stored and deflated entries are supported,
 * with Zip64 sizes and offsets. Internal; see the package description.
 *
 * <p>Every problem is an {@link IOException} whose message starts with the archive's description (a
 * file name, or the entry of an outer archive) or names the entry and the archive.
 */
public final class ZipArchive implements Closeable {

  /** Compression method: stored. */
  public static final int STORED = 0;
  /** Compression method: deflated. */
  public static final int DEFLATED = 8;

  /**
   * Deflate's greatest expansion: a 258-byte match coded in as little as one bit, at least 1032 to 1.
   * An entry that declares more than this many bytes per compressed byte is corrupt.
   */
  static final long MAX_DEFLATE_RATIO = 1032;
  /** The largest central directory read: 64 MiB, room for about a million entries. */
  static final long MAX_DIRECTORY = 64L << 20;

  private static final int EOCD_SIG = 0x06054b50;
  private static final int ZIP64_EOCD_SIG = 0x06064b50;
  private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  private static final int CENTRAL_SIG = 0x02014b50;
  private static final int LOCAL_SIG = 0x04034b50;
  private static final int EOCD_SIZE = 22;
  private static final int CENTRAL_SIZE = 46;
  private static final int LOCAL_SIZE = 30;
  private static final long U32 = 0xffffffffL;

  /**
   * One entry of the central directory, checked against the archive.
   *
   * @param name the entry's name
   * @param method {@link #STORED}, {@link #DEFLATED} or another method (refused when opened)
   * @param crc the CRC-32 of the uncompressed bytes
   * @param compressedSize the bytes the entry occupies in the archive
   * @param size the uncompressed size; at most {@link #MAX_DEFLATE_RATIO} times the compressed size
   * @param dataOffset where its (compressed) bytes start, relative to the archive
   */
  public record Entry(
      String name, int method, long crc, long compressedSize, long size, long dataOffset) {

    /** Whether the entry is a directory (its name ends with {@code /}). */
    public boolean isDirectory() {
      return name.endsWith("/");
    }
  }

  private final FileChannel channel;
  private final long base;
  private final long length;
  private final String where;
  private final boolean ownsChannel;
  private final List<Entry> entries;

  private ZipArchive(FileChannel channel, long base, long length, String where, boolean ownsChannel)
      throws IOException {
    this.channel = channel;
    this.base = base;
    this.length = length;
    this.where = where;
    this.ownsChannel = ownsChannel;
    this.entries = Collections.unmodifiableList(readDirectory());
  }

  /**
   * Opens a zip file and reads its central directory.
   *
   * @param path the file
   * @param where how messages name it (typically the path)
   * @throws IOException if it cannot be read or is not a well-formed zip archive
   */
  public static ZipArchive open(Path path, String where) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new ZipArchive(channel, 0, channel.size(), where, true);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * The archive held by one stored entry of this one, read in place (sharing this archive's file,
   * which closing it leaves open).
   *
   * @param entry a stored entry of this archive
   * @param where how messages name the nested archive
   * @throws IOException if the entry is not stored or is not a well-formed zip archive
   */
  public ZipArchive nested(Entry entry, String where) throws IOException {
    if (entry.method() != STORED) {
      throw new IOException(
          where + " is compressed inside " + this.where + "; a nested archive must be stored");
    }
    return new ZipArchive(channel, base + entry.dataOffset(), entry.size(), where, false);
  }

  /** The entries, in central directory order. */
  public List<Entry> entries() {
    return entries;
  }

  /**
   * A stream of an entry's uncompressed bytes, inflated only as far as it is read. It ends after exactly
   * {@link Entry#size()} bytes; reaching the end checks that the data ends there too and that the
   * CRC-32 matches. Problems are {@link IOException}s naming the entry.
   *
   * @throws IOException if the entry uses a compression method other than stored or deflated
   */
  public InputStream open(Entry entry) throws IOException {
    if (entry.method() != STORED && entry.method() != DEFLATED) {
      throw new IOException(
          describe(entry) + " uses compression method " + entry.method()
              + ", which is not supported (only stored and deflated are)");
    }
    return new EntryStream(entry);
  }

  /**
   * An entry's whole uncompressed content, checked (size and CRC-32).
   *
   * @param limit the most bytes the caller accepts
   * @throws IOException if the entry is larger than {@code limit}, or cannot be read
   */
  public byte[] readAll(Entry entry, long limit) throws IOException {
    if (entry.size() > Math.min(limit, Integer.MAX_VALUE - 64L)) {
      throw new IOException(
          describe(entry) + " holds " + entry.size() + " bytes, more than the "
              + Math.min(limit, Integer.MAX_VALUE - 64L) + " it may hold");
    }
    byte[] bytes = new byte[(int) entry.size()];
    try (InputStream in = open(entry)) {
      int n = in.readNBytes(bytes, 0, bytes.length);
      if (n != bytes.length || in.read() != -1) {
        throw corruptEntry(entry, "it ends early");
      }
    }
    return bytes;
  }

  /** Closes the file, unless this is a nested archive (whose outer archive owns it). */
  @Override
  public void close() throws IOException {
    if (ownsChannel) {
      channel.close();
    }
  }

  /** {@code entry 'name' in <archive>}. */
  String describe(Entry entry) {
    return "entry '" + entry.name() + "' in " + where;
  }

  private IOException corrupt(String detail) {
    return new IOException(where + " is truncated or corrupt: " + detail);
  }

  private IOException corruptEntry(Entry entry, String detail) {
    return new IOException(describe(entry) + " is truncated or corrupt: " + detail);
  }

  // ---------------------------------------------------------------------------------------------
  // the central directory

  private List<Entry> readDirectory() throws IOException {
    if (length == 0) {
      throw corrupt("it is empty");
    }
    if (length < EOCD_SIZE) {
      throw corrupt("its " + length + " bytes are too few for a zip archive");
    }
    int tailLength = (int) Math.min(length, EOCD_SIZE + 0xffff);
    ByteBuffer tail = read(length - tailLength, tailLength);
    int p = -1;
    for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
      if (tail.getInt(i) == EOCD_SIG && i + EOCD_SIZE + u16(tail, i + 20) == tailLength) {
        p = i;
        break;
      }
    }
    if (p < 0) {
      throw corrupt("it has no end-of-central-directory record (cut short, or not a zip archive)");
    }
    long eocd = length - tailLength + p;
    long count = u16(tail, p + 10);
    long directorySize = u32(tail, p + 12);
    long directoryOffset = u32(tail, p + 16);
    long end = eocd;
    if (count == 0xffff || directorySize == U32 || directoryOffset == U32) {
      if (eocd < 20) {
        throw corrupt("its Zip64 end-of-central-directory locator is missing");
      }
      ByteBuffer locator = read(eocd - 20, 20);
      if (locator.getInt(0) != ZIP64_LOCATOR_SIG) {
        throw corrupt("its Zip64 end-of-central-directory locator is missing");
      }
      long record = locator.getLong(8);
      if (record < 0 || record > eocd - 20 - 56) {
        throw corrupt("its Zip64 end-of-central-directory record lies outside the file");
      }
      ByteBuffer zip64 = read(record, 56);
      if (zip64.getInt(0) != ZIP64_EOCD_SIG) {
        throw corrupt("its Zip64 end-of-central-directory record is missing");
      }
      count = zip64.getLong(32);
      directorySize = zip64.getLong(40);
      directoryOffset = zip64.getLong(48);
      end = record;
    }
    if (directoryOffset < 0 || directorySize < 0 || directoryOffset > end
        || directorySize > end - directoryOffset) {
      throw corrupt(
          "its central directory (" + directorySize + " bytes at offset " + directoryOffset
              + ") lies outside the file's " + length + " bytes");
    }
    if (directorySize > MAX_DIRECTORY) {
      throw new IOException(
          where + " has a central directory of " + directorySize + " bytes, more than the "
              + MAX_DIRECTORY + " this reader accepts");
    }
    if (count < 0 || count > directorySize / CENTRAL_SIZE) {
      throw corrupt(
          "its central directory announces " + count + " entries but has room for "
              + directorySize / CENTRAL_SIZE);
    }
    ByteBuffer dir = read(directoryOffset, (int) directorySize);
    List<Entry> out = new ArrayList<>((int) count);
    Set<String> names = new HashSet<>();
    int q = 0;
    for (long i = 0; i < count; i++) {
      Entry e = readCentralEntry(dir, q, directoryOffset);
      q += CENTRAL_SIZE + u16(dir, q + 28) + u16(dir, q + 30) + u16(dir, q + 32);
      if (!names.add(e.name())) {
        throw new IOException(where + " is corrupt: entry '" + e.name() + "' appears twice");
      }
      out.add(e);
    }
    return out;
  }

  private Entry readCentralEntry(ByteBuffer dir, int q, long directoryOffset) throws IOException {
    if (dir.limit() - q < CENTRAL_SIZE || dir.getInt(q) != CENTRAL_SIG) {
      throw corrupt("its central directory is damaged at byte " + (directoryOffset + q));
    }
    int flags = u16(dir, q + 8);
    int method = u16(dir, q + 10);
    long crc = u32(dir, q + 16);
    long compressed = u32(dir, q + 20);
    long size = u32(dir, q + 24);
    int nameLength = u16(dir, q + 28);
    int extraLength = u16(dir, q + 30);
    int commentLength = u16(dir, q + 32);
    long local = u32(dir, q + 42);
    if (dir.limit() - q - CENTRAL_SIZE < nameLength + extraLength + commentLength) {
      throw corrupt("its central directory is damaged at byte " + (directoryOffset + q));
    }
    byte[] nameBytes = new byte[nameLength];
    dir.get(q + CENTRAL_SIZE, nameBytes);
    String name =
        new String(
            nameBytes,
            (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    if ((flags & 1) != 0) {
      throw new IOException(
          "entry '" + name + "' in " + where + " is encrypted, which is not supported");
    }
    // Zip64 extra field: the 64-bit values of the fields that hold 0xffffffff, in this order
    int x = q + CENTRAL_SIZE + nameLength;
    int extraEnd = x + extraLength;
    while (extraEnd - x >= 4) {
      int id = u16(dir, x);
      int n = u16(dir, x + 2);
      int d = x + 4;
      if (n > extraEnd - d) {
        break;
      }
      int next = d + n;
      if (id == 1) {
        int left = n;
        if (size == U32) {
          size = zip64Value(dir, d, left, name);
          d += 8;
          left -= 8;
        }
        if (compressed == U32) {
          compressed = zip64Value(dir, d, left, name);
          d += 8;
          left -= 8;
        }
        if (local == U32) {
          local = zip64Value(dir, d, left, name);
        }
      }
      x = next;
    }
    Entry partial = new Entry(name, method, crc, compressed, size, -1);
    if (local > directoryOffset - LOCAL_SIZE) {
      throw corruptEntry(partial, "its local header lies outside the archive");
    }
    ByteBuffer header = read(local, LOCAL_SIZE);
    if (header.getInt(0) != LOCAL_SIG) {
      throw corruptEntry(partial, "its local header is missing");
    }
    long data = local + LOCAL_SIZE + u16(header, 26) + u16(header, 28);
    if (data > directoryOffset || compressed > directoryOffset - data) {
      throw corruptEntry(
          partial,
          "its " + compressed + " bytes at offset " + data + " run past the end of the data");
    }
    if (method == STORED && compressed != size) {
      throw corruptEntry(
          partial, "stored with " + compressed + " bytes but declares " + size + " uncompressed");
    }
    if (method == DEFLATED && size > compressed * MAX_DEFLATE_RATIO + 64) {
      throw corruptEntry(
          partial,
          "it declares " + size + " bytes, more than its " + compressed
              + " compressed bytes can inflate to");
    }
    return new Entry(name, method, crc, compressed, size, data);
  }

  private long zip64Value(ByteBuffer dir, int at, int left, String name) throws IOException {
    long v = left >= 8 ? dir.getLong(at) : -1;
    if (v < 0) {
      throw new IOException(
          "entry '" + name + "' in " + where + " is truncated or corrupt: bad Zip64 extra field");
    }
    return v;
  }

  private static int u16(ByteBuffer b, int at) {
    return b.getShort(at) & 0xffff;
  }

  private static long u32(ByteBuffer b, int at) {
    return b.getInt(at) & U32;
  }

  /** Reads {@code n} bytes at an offset of the archive (both already checked to lie in it). */
  private ByteBuffer read(long offset, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    readFully(b, offset);
    return b.flip();
  }

  private void readFully(ByteBuffer b, long offset) throws IOException {
    long at = offset;
    while (b.hasRemaining()) {
      int n = channel.read(b, base + at);
      if (n < 0) {
        throw corrupt("it ends at byte " + at + ", shorter than its directory says");
      }
      at += n;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // entry data

  /** One entry's uncompressed bytes, read on demand and checked at their end. */
  private final class EntryStream extends InputStream {
    private final Entry entry;
    private final Inflater inflater;
    private final byte[] input;
    private final CRC32 crc = new CRC32();
    private long consumed;
    private long produced;
    private boolean checked;

    EntryStream(Entry entry) {
      this.entry = entry;
      this.inflater = entry.method() == DEFLATED ? new Inflater(true) : null;
      this.input = inflater == null ? null : new byte[8192];
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (produced == entry.size()) {
        finish();
        return -1;
      }
      int want = (int) Math.min(len, entry.size() - produced);
      int n = inflater == null ? readRaw(b, off, want) : inflate(b, off, want);
      crc.update(b, off, n);
      produced += n;
      if (produced == entry.size()) {
        finish();
      }
      return n;
    }

    private int readRaw(byte[] b, int off, int len) throws IOException {
      int n = channel.read(ByteBuffer.wrap(b, off, len), base + entry.dataOffset() + consumed);
      if (n <= 0) {
        throw corruptEntry(entry, "the file ends inside it");
      }
      consumed += n;
      return n;
    }

    private int inflate(byte[] b, int off, int len) throws IOException {
      try {
        while (true) {
          int n = inflater.inflate(b, off, len);
          if (n > 0) {
            return n;
          }
          if (inflater.finished() || inflater.needsDictionary()) {
            throw corruptEntry(
                entry,
                "it inflates to " + produced + " bytes, fewer than the " + entry.size()
                    + " its directory declares");
          }
          if (inflater.needsInput()) {
            feed();
          }
        }
      } catch (DataFormatException e) {
        throw corruptEntry(entry, "its compressed data is invalid (" + e.getMessage() + ")");
      }
    }

    private void feed() throws IOException {
      long left = entry.compressedSize() - consumed;
      if (left <= 0) {
        throw corruptEntry(entry, "its compressed data ends early");
      }
      int n = readRaw(input, 0, (int) Math.min(input.length, left));
      inflater.setInput(input, 0, n);
    }

    /** At the declared end: the deflate stream must end there too, and the CRC-32 match. */
    private void finish() throws IOException {
      if (checked) {
        return;
      }
      checked = true;
      if (inflater != null) {
        byte[] extra = new byte[1];
        try {
          while (!inflater.finished()) {
            if (inflater.inflate(extra) > 0) {
              throw corruptEntry(
                  entry, "it inflates to more than the " + entry.size() + " bytes it declares");
            }
            if (inflater.needsDictionary()) {
              throw corruptEntry(entry, "its compressed data is invalid (needs a dictionary)");
            }
            if (inflater.needsInput()) {
              feed();
            }
          }
        } catch (DataFormatException e) {
          throw corruptEntry(entry, "its compressed data is invalid (" + e.getMessage() + ")");
        }
      }
      if (crc.getValue() != entry.crc()) {
        throw new IOException(
            describe(entry) + " is corrupt (its CRC-32 checksum does not match)");
      }
    }

    @Override
    public void close() {
      if (inflater != null) {
        inflater.end();
      }
    }
  }
}
