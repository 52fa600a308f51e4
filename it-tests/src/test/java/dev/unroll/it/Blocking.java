package dev.unroll.it;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An argument that holds its pass open: an {@link INDArray} that behaves as {@code real}, except that
 * the first method called on it (the model's input check, inside the pass) signals {@link #entered}
 * and waits for {@link #release()}. Two calls on one model instance then overlap for certain, not by
 * chance of timing.
 */
final class Blocking {
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicBoolean first = new AtomicBoolean(true);
  private final INDArray array;

  Blocking(INDArray real) {
    array = (INDArray) Proxy.newProxyInstance(INDArray.class.getClassLoader(), new Class<?>[] {INDArray.class},
        (proxy, method, args) -> {
          if (first.compareAndSet(true, false)) {
            entered.countDown();
            if (!released.await(60, TimeUnit.SECONDS)) {
              throw new IllegalStateException("the blocking argument was never released");
            }
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** The argument to pass. */
  INDArray array() {
    return array;
  }

  /** Waits until a pass has started reading the argument (and so holds the model's guard). */
  void awaitEntered() throws InterruptedException {
    if (!entered.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the pass never read its blocking argument");
    }
  }

  /** Lets the blocked pass go on. */
  void release() {
    released.countDown();
  }
}
