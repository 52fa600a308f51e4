package dev.unroll.runtime.internal.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a zip archive of stored (uncompressed) entries, with a fixed timestamp so that equal contents
 * give equal bytes. {@link #finish} completes the archive without closing the stream it writes to.
 * Internal; see the package description.
 */
public final class StoredZipWriter {

  private final ZipOutputStream zip;

  /** An archive written to {@code out}. */
  public StoredZipWriter(OutputStream out) {
    this.zip = new ZipOutputStream(out);
  }

  /** Appends an entry. */
  public void put(String name, byte[] data) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(data);
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    entry.setCompressedSize(data.length);
    entry.setCrc(crc.getValue());
    entry.setTime(0);
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }

  /** Writes the central directory and flushes; the underlying stream stays open. */
  public void finish() throws IOException {
    zip.finish();
    zip.flush();
  }
}
