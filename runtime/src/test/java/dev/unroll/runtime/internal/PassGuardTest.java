package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link PassGuard}: a second thread is refused while the first holds the guard (the overlap made
 * certain with latches), entries nest on the holding thread, and exit releases.
 */
class PassGuardTest {

  /** Runs {@code body} on a thread named {@code name} that holds {@code guard} until {@code release}. */
  private static Thread holder(PassGuard guard, String name, CountDownLatch entered, CountDownLatch release,
      AtomicReference<Throwable> failure) {
    Thread t = new Thread(() -> {
      try {
        guard.enter();
        try {
          entered.countDown();
          assertTrue(release.await(30, TimeUnit.SECONDS), "never released");
        } finally {
          guard.exit();
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    }, name);
    t.start();
    return t;
  }

  @Test
  void secondThreadIsRefusedWithTheReplicaHintAndAdmittedAfterExit() throws Exception {
    PassGuard guard = PassGuard.forModel("UnrolledCharModel");
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread first = holder(guard, "first-pass", entered, release, failure);
    assertTrue(entered.await(30, TimeUnit.SECONDS));

    IllegalStateException e = assertThrows(IllegalStateException.class, guard::enter);
    String me = Thread.currentThread().getName();
    assertEquals("this UnrolledCharModel instance is already running a pass on thread \"first-pass\", and thread \""
        + me + "\" tried to start another: an instance's work buffers serve one pass at a time, so concurrent"
        + " calls would compute wrong numbers. To run on several threads, give each thread its own"
        + " model.replica(), which shares the parameters and has its own buffers.", e.getMessage());
    // refused means not entered: exiting now is a bracketing error, not a release of the other's pass
    assertThrows(IllegalStateException.class, guard::exit);

    release.countDown();
    first.join(30_000);
    assertNull(failure.get());
    // released: this thread may enter now
    guard.enter();
    guard.exit();
  }

  @Test
  void sessionGuardNamesTheSessionFix() throws Exception {
    PassGuard guard = PassGuard.forSession("UnrolledTranslator");
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread first = holder(guard, "decoder", entered, release, failure);
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    IllegalStateException e = assertThrows(IllegalStateException.class, guard::enter);
    assertTrue(e.getMessage().startsWith(
        "this decoding session of UnrolledTranslator is already running a pass on thread \"decoder\""), e.getMessage());
    assertTrue(e.getMessage().endsWith("give each thread its own model.session(state, copies)."), e.getMessage());
    release.countDown();
    first.join(30_000);
    assertNull(failure.get());
  }

  @Test
  void entriesNestOnTheHoldingThread() throws Exception {
    PassGuard guard = PassGuard.forModel("M");
    guard.enter();
    guard.enter();  // a public entry calling another
    guard.exit();
    // still held after the inner exit: another thread is refused
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        guard.enter();
      } catch (Throwable e) {
        seen.set(e);
      }
    }, "other");
    other.start();
    other.join(30_000);
    assertTrue(seen.get() instanceof IllegalStateException, "inner exit released the guard: " + seen.get());
    guard.exit();
    // the outer exit released it
    Thread again = new Thread(() -> {
      try {
        guard.enter();
        guard.exit();
      } catch (Throwable e) {
        seen.set(e);
      }
    }, "again");
    seen.set(null);
    again.start();
    again.join(30_000);
    assertNull(seen.get());
  }

  @Test
  void exitWithoutEnterIsABracketingError() {
    PassGuard guard = PassGuard.forModel("M");
    IllegalStateException e = assertThrows(IllegalStateException.class, guard::exit);
    assertEquals("this M instance: exit() without enter() on thread " + Thread.currentThread().getName(),
        e.getMessage());
  }

  @Test
  void anExceptionInsideThePassReleasesTheGuard() throws Exception {
    PassGuard guard = PassGuard.forModel("M");
    assertThrows(IllegalArgumentException.class, () -> {
      guard.enter();
      try {
        throw new IllegalArgumentException("bad shape");
      } finally {
        guard.exit();
      }
    });
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        guard.enter();
        guard.exit();
      } catch (Throwable e) {
        seen.set(e);
      }
    });
    other.start();
    other.join(30_000);
    assertNull(seen.get());
  }

  @Test
  void runReturnsThePassResultAndReleasesTheGuardEvenWhenItThrows() throws Exception {
    PassGuard guard = PassGuard.forModel("M");
    assertEquals("done", guard.run(() -> "done"));
    assertThrows(IllegalArgumentException.class, () -> guard.run(() -> {
      throw new IllegalArgumentException("bad shape");
    }));
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        guard.run(() -> 1);
      } catch (Throwable e) {
        seen.set(e);
      }
    });
    other.start();
    other.join(30_000);
    assertNull(seen.get());
  }
}
