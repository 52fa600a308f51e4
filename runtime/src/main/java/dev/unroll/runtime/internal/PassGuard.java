package dev.unroll.runtime.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Enforces that a generated model instance (or a decoding session) runs one pass at a time: its work
 * buffers hold the pass in progress, so a second thread entering while a pass runs would silently
 * compute wrong numbers. Instead, that thread gets an {@link IllegalStateException} that names the
 * fix: its own {@code replica()} (or session).
 *
 * <p>Every public entry of a generated class that touches its buffers runs its pass through
 * {@link #run}, or brackets its body itself:
 *
 * <pre>{@code
 * guard.enter();
 * try {
 *   ... the pass ...
 * } finally {
 *   guard.exit();
 * }
 * }</pre>
 *
 * <p>The cost is one compare-and-set on entry and one release store on exit. Entries nest on the
 * thread that holds the guard (a public entry may call another), and the {@code finally} releases it
 * however the pass ends, so a pass that throws (a bad shape) leaves the instance usable.
 *
 * <p>Not a lock: a second thread never waits, it is refused. Threads that take turns on one
 * instance (each call returning before the next starts elsewhere, ordered by some synchronisation of
 * their own) are allowed.
 */
public final class PassGuard {

  /** The thread running a pass; null when none is. */
  private final AtomicReference<Thread> owner = new AtomicReference<>();
  /** How many entries the owner holds beyond its first; read and written only by the owner. */
  private int nested;
  /** What is guarded, for the message: {@code UnrolledCharModel}. */
  private final String what;
  /** The fix the message gives. */
  private final String fix;

  private PassGuard(String what, String fix) {
    this.what = what;
    this.fix = fix;
  }

  /**
   * The guard of one model instance; the message tells a refused thread to use its own replica.
   *
   * @param className the generated class's simple name, e.g. {@code UnrolledCharModel}
   */
  public static PassGuard forModel(String className) {
    return new PassGuard("this " + className + " instance",
        "give each thread its own model.replica(), which shares the parameters and has its own buffers");
  }

  /**
   * The guard of one decoding session; the message tells a refused thread to use its own session.
   *
   * @param className the generated class's simple name, e.g. {@code UnrolledTranslator}
   */
  public static PassGuard forSession(String className) {
    return new PassGuard("this decoding session of " + className,
        "give each thread its own model.session(state, copies)");
  }

  /**
   * Takes the guard for the calling thread, or enters once more if it already holds it.
   *
   * @throws IllegalStateException if another thread holds it: a pass is running there
   */
  public void enter() {
    Thread me = Thread.currentThread();
    Thread running = owner.compareAndExchange(null, me);
    if (running == null) {
      return;
    }
    if (running == me) {
      nested++;
      return;
    }
    throw refused(me, running);
  }

  /**
   * Runs {@code pass} holding the guard, {@link #enter()} before and {@link #exit()} however it
   * ends, and returns its result.
   *
   * @throws IllegalStateException if another thread holds the guard: a pass is running there
   */
  public <T> T run(Supplier<T> pass) {
    enter();
    try {
      return pass.get();
    } finally {
      exit();
    }
  }

  /**
   * Gives back one entry of the calling thread, which must hold the guard; the last one releases it.
   * Call it in a {@code finally} block after a successful {@link #enter()}.
   *
   * @throws IllegalStateException if the calling thread does not hold the guard (a bracketing error)
   */
  public void exit() {
    if (owner.get() != Thread.currentThread()) {
      throw new IllegalStateException(what + ": exit() without enter() on thread "
          + Thread.currentThread().getName());
    }
    if (nested > 0) {
      nested--;
    } else {
      owner.setRelease(null);
    }
  }

  private IllegalStateException refused(Thread me, Thread running) {
    return new IllegalStateException(
        what + " is already running a pass on thread \"" + running.getName() + "\", and thread \"" + me.getName()
            + "\" tried to start another: an instance's work buffers serve one pass at a time, so concurrent "
            + "calls would compute wrong numbers. To run on several threads, " + fix + ".");
  }
}
