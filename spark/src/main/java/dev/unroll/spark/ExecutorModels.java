package dev.unroll.spark;

import dev.unroll.runtime.UnrolledModel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The models of one executor JVM: for each broadcast of parameters in use, one model built by a
 * {@link ModelFactory} with the broadcast's values, and a pool of its replicas, so that every task
 * thread computes on its own replica (replicas share the parameter arrays and own their work buffers).
 *
 * <p>Only broadcasts with tasks running are kept: when a task of a newer broadcast arrives, every idle
 * older model is dropped, so an executor holds one copy of the parameters between steps however many
 * steps a training run takes.
 */
final class ExecutorModels {

  private static final Map<Long, Entry> ENTRIES = new LinkedHashMap<>();

  private ExecutorModels() {}

  /** A replica on loan to one task; {@link #close()} gives it back. */
  static final class Lease implements AutoCloseable {
    private final Entry entry;
    private final UnrolledModel model;

    private Lease(Entry entry, UnrolledModel model) {
      this.entry = entry;
      this.model = model;
    }

    /** The replica, with the broadcast's parameters. */
    UnrolledModel model() {
      return model;
    }

    @Override
    public void close() {
      release(entry, model);
    }
  }

  private static final class Entry {
    final long id;
    final UnrolledModel master;
    final ArrayDeque<UnrolledModel> idle = new ArrayDeque<>();
    int leases;

    Entry(long id, UnrolledModel master) {
      this.id = id;
      this.master = master;
    }
  }

  /**
   * A replica of the model of broadcast {@code id}, built on first use from {@code factory} and the
   * parameters {@code parameters} supplies (read once per executor).
   */
  static Lease borrow(long id, ModelFactory factory, Supplier<Parameters> parameters) {
    synchronized (ENTRIES) {
      Entry e = ENTRIES.get(id);
      if (e == null) {
        UnrolledModel master = factory.create();
        parameters.get().copyInto(master.parameters());
        e = new Entry(id, master);
        ENTRIES.put(id, e);
        dropIdleExcept(id);
      }
      e.leases++;
      UnrolledModel m = e.idle.isEmpty() ? e.master.replica() : e.idle.pop();
      return new Lease(e, m);
    }
  }

  private static void release(Entry e, UnrolledModel model) {
    synchronized (ENTRIES) {
      e.leases--;
      e.idle.push(model);
      long newest = -1;
      for (long id : ENTRIES.keySet()) {
        newest = id;
      }
      if (e.leases == 0 && e.id != newest) {
        ENTRIES.remove(e.id);
      }
    }
  }

  private static void dropIdleExcept(long keep) {
    for (Iterator<Entry> it = ENTRIES.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.id != keep && e.leases == 0) {
        it.remove();
      }
    }
  }

  /** The number of parameter sets this JVM holds (for tests: it must not grow with steps). */
  static int held() {
    synchronized (ENTRIES) {
      return ENTRIES.size();
    }
  }
}
