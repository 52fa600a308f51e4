package dev.unroll.runtime.internal;

import dev.unroll.runtime.RuntimeOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the two directions of a bidirectional layer, which are independent of each other until their
 * outputs meet: the forward direction on the calling thread, the reverse one on a second thread when
 * the machine has more than one core. {@link RuntimeOptions#parallelDirections()} (the system property
 * {@code unroll.parallelDirections=false}) runs both on the caller.
 */
public final class Directions {
  private static final ExecutorService POOL = Executors.newCachedThreadPool(task -> {
    Thread t = new Thread(task, "unroll-reverse-direction");
    t.setDaemon(true);
    return t;
  });

  private Directions() {}

  /** Runs {@code forward} and {@code reverse}, concurrently per {@link RuntimeOptions#parallelDirections()}; returns when both are done. */
  public static void both(Runnable forward, Runnable reverse) {
    if (!RuntimeOptions.current().parallelDirections()) {
      forward.run();
      reverse.run();
      return;
    }
    Future<?> other = POOL.submit(reverse);
    try {
      forward.run();
    } finally {
      join(other);
    }
  }

  private static void join(Future<?> other) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          other.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
