package dev.unroll.runtime;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the two directions of a bidirectional layer, which are independent of each other until their
 * outputs meet: the forward direction on the calling thread, the reverse one on a second thread when
 * the machine has more than one core. The system property {@code unroll.parallelDirections=false}
 * runs both on the caller.
 */
public final class Directions {
  /** Whether the reverse direction runs on its own thread. */
  public static final boolean PARALLEL = Boolean.parseBoolean(System.getProperty("unroll.parallelDirections",
      Boolean.toString(Runtime.getRuntime().availableProcessors() > 1)));

  private static final ExecutorService POOL = Executors.newCachedThreadPool(task -> {
    Thread t = new Thread(task, "unroll-reverse-direction");
    t.setDaemon(true);
    return t;
  });

  private Directions() {}

  /** Runs {@code forward} and {@code reverse}, concurrently when {@link #PARALLEL}; returns when both are done. */
  public static void both(Runnable forward, Runnable reverse) {
    if (!PARALLEL) {
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
