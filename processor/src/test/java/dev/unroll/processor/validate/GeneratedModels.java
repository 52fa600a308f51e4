package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Loads the classes of a compilation and runs a generated model once, forward and backward. */
public final class GeneratedModels {
  private GeneratedModels() {}

  /**
   * Instantiates {@code className} in float64, runs {@code forward} and {@code gradients} on a random
   * batch of 3 rows × {@code steps}, and checks the logits' shape and that loss and gradients are finite.
   */
  public static void run(Compilation compilation, String className, int features, int vocab, int output, boolean manyToMany,
      int steps) throws Exception {
    RecurrentModel model = instantiate(compilation, className, DataType.DOUBLE);
    int batch = 3;
    Nd4j.getRandom().setSeed(11);
    INDArray x = features > 0
        ? Nd4j.rand(DataType.DOUBLE, batch, steps, features)
        : Nd4j.createFromArray(randomIds(batch * steps, vocab)).reshape(batch, steps);
    INDArray logits = model.forward(x);
    long[] expected = manyToMany ? new long[] {batch, steps, output} : new long[] {batch, output};
    assertWithMessage("logits shape").that(logits.shape()).isEqualTo(expected);
    assertWithMessage("finite logits").that(finite(logits)).isTrue();
    INDArray y = manyToMany
        ? Nd4j.createFromArray(randomIds(batch * steps, output)).reshape(batch, steps)
        : Nd4j.createFromArray(randomIds(batch, output));
    Gradients g = model.gradients(x, y);
    assertWithMessage("finite loss").that(Double.isFinite(g.loss()) && g.loss() >= 0).isTrue();
    assertWithMessage("one gradient per parameter").that(g.asMap().keySet()).isEqualTo(model.parameters().keySet());
    for (Map.Entry<String, INDArray> e : g.asMap().entrySet()) {
      assertWithMessage("shape of the gradient of " + e.getKey()).that(e.getValue().shape())
          .isEqualTo(model.parameters().get(e.getKey()).shape());
      assertWithMessage("finite gradient of " + e.getKey()).that(finite(e.getValue())).isTrue();
    }
  }

  /** Loads {@code className} from the compilation's class files and constructs it with seed 7. */
  public static RecurrentModel instantiate(Compilation compilation, String className, DataType dataType)
      throws Exception {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : compilation.generatedFiles()) {
      if (f.getKind() == JavaFileObject.Kind.CLASS) {
        String name = f.getName().replaceFirst("^/CLASS_OUTPUT/", "").replace(".class", "").replace('/', '.');
        try (InputStream in = f.openInputStream()) {
          classes.put(name, in.readAllBytes());
        }
      }
    }
    ClassLoader loader = new ClassLoader(GeneratedModels.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
    return (RecurrentModel) loader.loadClass(className)
        .getConstructor(long.class, DataType.class).newInstance(7L, dataType);
  }

  private static long[] randomIds(int n, int bound) {
    long[] ids = new long[n];
    for (int k = 0; k < n; k++) {
      ids[k] = (k * 7919L + 13) % bound;
    }
    return ids;
  }

  private static boolean finite(INDArray a) {
    for (double v : a.dup().data().asDouble()) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

}
