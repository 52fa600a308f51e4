package dev.unroll.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run by {@link BoundedImportTest} in a JVM of its own with a small heap: imports two files into a
 * model of {@code fc.weight [3, 4]} and {@code fc.bias [3]}, then reads the first whole, printing one
 * line per outcome. Any other throwable escapes and ends the JVM with a non-zero status.
 */
final class BoundedImportMain {

  private BoundedImportMain() {}

  public static void main(String[] args) throws IOException {
    System.out.println("maxMemory " + Runtime.getRuntime().maxMemory());
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("fc.weight", Nd4j.zeros(DataType.FLOAT, 3, 4));
    params.put("fc.bias", Nd4j.zeros(DataType.FLOAT, 3));
    Npz.importFile(params, Path.of(args[0]));
    System.out.println(
        "imported " + params.get("fc.weight").sumNumber().doubleValue() + " "
            + params.get("fc.bias").sumNumber().doubleValue());
    try {
      Npz.importFile(params, Path.of(args[1]));
      System.out.println("imported the second file");
    } catch (IllegalArgumentException e) {
      System.out.println("refused " + e.getMessage().replace('\n', '|'));
    }
    try {
      Npz.read(Path.of(args[0]));
      System.out.println("read the whole file");
    } catch (IOException e) {
      System.out.println("read failed " + e.getMessage());
    }
  }
}
