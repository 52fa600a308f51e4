package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What Spark ships: blocks, parameters and the model factory through Java serialization. */
class BlockTest {

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void blocksKeepShapeTypeAndValues() throws Exception {
    INDArray d = Nd4j.createFromArray(new double[] {1, 2, 3, 4, 5, 6}).reshape(2, 3);
    INDArray f = d.castTo(DataType.FLOAT);
    INDArray ids = Nd4j.createFromArray(new long[] {3, -100, 7});
    Block bd = roundTrip(Block.of(d.transpose()));
    assertArrayEquals(new long[] {3, 2}, bd.shape());
    assertEquals(DataType.DOUBLE, bd.dataType());
    assertEquals(d.transpose(), bd.toArray());
    assertEquals(f, roundTrip(Block.of(f)).toArray());
    assertEquals(24, Block.of(f).bytes());
    assertEquals(2, GradientTask.counted(Block.of(ids)));
    assertEquals(Nd4j.createFromArray(new double[] {4, 5, 6}).reshape(1, 3), Block.rows(d, 1, 2).toArray());
  }

  @Test
  void parametersRebuildAModelThroughItsFactory() throws Exception {
    var source = new UnrolledTestModels_TinyLm(31, DataType.DOUBLE);
    Parameters p = roundTrip(Parameters.of(source.parameters()));
    ModelFactory factory = roundTrip(ModelFactory.of(source));
    var copy = factory.create();
    p.copyInto(copy.parameters());
    for (Map.Entry<String, INDArray> e : source.parameters().entrySet()) {
      assertEquals(e.getValue(), copy.parameters().get(e.getKey()), e.getKey());
    }
    assertEquals(DataType.DOUBLE, copy.dataType());
  }

  @Test
  void aFactoryOfAMissingClassNamesTheFix() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ModelFactory("com.example.UnrolledGone", "FLOAT").create());
    assertEquals("the model class com.example.UnrolledGone is not on this executor's classpath: ship the "
        + "jar that holds it with the application (spark-submit's application jar or --jars)", e.getMessage());
  }
}
