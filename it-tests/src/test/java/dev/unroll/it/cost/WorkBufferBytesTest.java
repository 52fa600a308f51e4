package dev.unroll.it.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.runtime.Cost;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.internal.RecurrentWeight;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The work-buffer bytes of {@code COST} against what a generated instance really holds: the distinct
 * data buffers its array fields point into, measured for T and 2T steps, so that everything whose size
 * does not grow with the steps (parameters, gradients of parameters, [B, H] scratch) cancels and the
 * difference is B·T times the bytes per row and step.
 */
class WorkBufferBytesTest {
  private static final int BATCH = 3;
  private static final int STEPS = 4;

  @Test
  void lstmClassifierHoldsWhatItsCostSays() throws IllegalAccessException {
    check(UnrolledCostModels_LstmClassifier.COST, () -> new UnrolledCostModels_LstmClassifier(1), false, true);
  }

  @Test
  void gruTaggerHoldsWhatItsCostSays() throws IllegalAccessException {
    check(UnrolledCostModels_GruTagger.COST, () -> new UnrolledCostModels_GruTagger(1), true, false);
  }

  @Test
  void rnnTaggerHoldsWhatItsCostSays() throws IllegalAccessException {
    check(UnrolledCostModels_RnnNoBias.COST, () -> new UnrolledCostModels_RnnNoBias(1), false, false);
  }

  @Test
  void deepLstmHoldsWhatItsCostSays() throws IllegalAccessException {
    check(UnrolledCostModels_DeepLstm.COST, () -> new UnrolledCostModels_DeepLstm(1), true, true);
  }

  /**
   * Without an LSTM (no fused-op copies) the fixed bytes are the copies {@code RecurrentWeight} takes of
   * W and Wᵀ for the Java step products of a batch-1 pass: count their floats.
   */
  @Test
  void weightCopiesOfAGruAreWhatItsCostSays() throws IllegalAccessException {
    UnrolledCostModels_GruTagger model = new UnrolledCostModels_GruTagger(1);
    model.forward(Nd4j.zeros(DataType.INT64, 1, STEPS));
    long floats = 0;
    for (Object weight : fieldValues(model)) {
      if (weight instanceof RecurrentWeight) {
        for (String copy : new String[] {"rowsF", "columnsF"}) {
          Field c = field(RecurrentWeight.class, copy);
          for (float[] row : (float[][]) c.get(weight)) {
            floats += row.length;
          }
        }
      }
    }
    assertEquals(UnrolledCostModels_GruTagger.COST.fixedBytesPerReplica(), floats * Float.BYTES);
  }

  private static Field field(Class<?> type, String name) {
    try {
      Field f = type.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException e) {
      throw new AssertionError(type.getSimpleName() + " has no field " + name + "; update this test", e);
    }
  }

  private static void check(Cost cost, Supplier<RecurrentModel> make, boolean tokens, boolean manyToOne)
      throws IllegalAccessException {
    long[] evaluation = new long[2];
    long[] training = new long[2];
    for (int i = 0; i < 2; i++) {
      int steps = STEPS * (i + 1);
      RecurrentModel model = make.get();
      INDArray x = tokens ? Nd4j.zeros(DataType.INT64, BATCH, steps)
          : Nd4j.rand(DataType.FLOAT, BATCH, steps, model.config().features());
      INDArray y = manyToOne ? Nd4j.zeros(DataType.INT64, BATCH) : Nd4j.zeros(DataType.INT64, BATCH, steps);
      model.forward(x);
      evaluation[i] = heldBytes(model);
      model.gradients(x, y);
      training[i] = heldBytes(model);
    }
    long rowSteps = (long) BATCH * STEPS;
    assertEquals(cost.forwardBytesPerRowStep() * rowSteps, evaluation[1] - evaluation[0],
        "evaluation work-buffer bytes grown by " + rowSteps + " row-steps");
    assertEquals(cost.trainingBytesPerRowStep() * rowSteps, training[1] - training[0],
        "training work-buffer bytes grown by " + rowSteps + " row-steps");
  }

  /**
   * The values of the instance's fields and of the fields of the layers it holds (instances of its
   * own nested classes, such as {@code Layer}).
   */
  private static List<Object> fieldValues(Object model) throws IllegalAccessException {
    List<Object> out = new ArrayList<>();
    for (Field f : model.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      f.setAccessible(true);
      Object v = f.get(model);
      out.add(v);
      if (v != null && v.getClass().getDeclaringClass() == model.getClass()) {
        for (Field g : v.getClass().getDeclaredFields()) {
          if (!Modifier.isStatic(g.getModifiers())) {
            g.setAccessible(true);
            out.add(g.get(v));
          }
        }
      }
    }
    return out;
  }

  /**
   * Bytes of the distinct data buffers the instance's INDArray and INDArray[] fields point into, its
   * layers' included.
   */
  private static long heldBytes(Object model) throws IllegalAccessException {
    Set<DataBuffer> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Object v : fieldValues(model)) {
      if (v instanceof INDArray a) {
        buffers.add(root(a));
      } else if (v instanceof INDArray[] arrays) {
        for (INDArray a : arrays) {
          if (a != null) {
            buffers.add(root(a));
          }
        }
      }
    }
    return buffers.stream().mapToLong(b -> b.length() * b.getElementSize()).sum();
  }

  private static DataBuffer root(INDArray a) {
    DataBuffer b = a.data();
    while (b.originalDataBuffer() != null && b.originalDataBuffer() != b) {
      b = b.originalDataBuffer();
    }
    return b;
  }
}
