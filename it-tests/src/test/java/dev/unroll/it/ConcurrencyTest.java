package dev.unroll.it;

import static dev.unroll.it.InputErrorsTest.classes;
import static dev.unroll.it.InputErrorsTest.features;
import static dev.unroll.it.InputErrorsTest.tokens;
import static dev.unroll.it.TestArrays.identical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.runtime.UnrolledModel;
import dev.unroll.runtime.generation.Decoded;
import dev.unroll.runtime.generation.Decoding;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One pass at a time per model instance, enforced: a second thread entering a pass while another
 * thread's pass on the same instance is open (held open for certain by a {@link Blocking} argument)
 * gets an {@link IllegalStateException} with the {@code replica()} hint, and the held pass still
 * returns exactly the single-thread numbers; replicas on 4 threads give bit-identical results to
 * single-thread runs, forward and gradients, for every topology.
 */
class ConcurrencyTest {

  private static final String HELD = "held-pass";
  private static ExecutorService held;

  @BeforeAll
  static void start() {
    held = Executors.newSingleThreadExecutor(r -> new Thread(r, HELD));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    held.shutdownNow();
    held.awaitTermination(30, TimeUnit.SECONDS);
  }

  /**
   * Runs {@code pass} on the thread {@value #HELD} until it reads {@code blocking}'s argument, then asserts
   * that each of {@code refused} on this thread gets the guard's exception naming {@code className} and
   * the replica fix, and that each of {@code allowed} (calls that touch no buffer of the instance) runs;
   * then releases the held pass and returns its result.
   */
  private static <T> T holdAndCollide(String className, Blocking blocking, Callable<T> pass,
      List<Executable> refused, List<Runnable> allowed) throws Exception {
    Future<T> result = held.submit(pass);
    try {
      blocking.awaitEntered();
      String me = Thread.currentThread().getName();
      for (int i = 0; i < refused.size(); i++) {
        IllegalStateException e = assertThrows(IllegalStateException.class, refused.get(i),
            "call " + i + " entered while " + HELD + " ran a pass on the same instance");
        assertEquals("this " + className + " instance is already running a pass on thread \"" + HELD
            + "\", and thread \"" + me + "\" tried to start another: an instance's work buffers serve one"
            + " pass at a time, so concurrent calls would compute wrong numbers. To run on several threads,"
            + " give each thread its own model.replica(), which shares the parameters and has its own buffers.",
            e.getMessage(), "call " + i);
      }
      allowed.forEach(Runnable::run);
    } finally {
      blocking.release();
    }
    return result.get(60, TimeUnit.SECONDS);
  }

  /** Asserts that a different thread can run {@code call} (the guard was released, not kept by this thread). */
  private static void usableFromAnotherThread(Runnable call) throws Exception {
    held.submit(call).get(60, TimeUnit.SECONDS);
  }

  private static void assertSameGradients(Gradients expected, Gradients actual, String what) {
    assertEquals(expected.loss(), actual.loss(), 0.0, what + ": loss");
    assertEquals(expected.asMap().keySet(), actual.asMap().keySet(), what + ": names");
    expected.asMap().forEach((k, v) -> assertTrue(identical(v, actual.get(k)), what + ": ∂L/∂" + k));
  }

  // ---- a second thread on one instance ------------------------------------------------------------

  @Test
  void manyToOne() throws Exception {
    RecurrentModel m = new UnrolledTestModels_Classifier(5);
    INDArray x = features(1, 4, 7, 9);
    INDArray y = classes(0, 2, 1, 2);
    INDArray logits = m.forward(x);
    Gradients g = m.gradients(x, y);

    Blocking blockingY = new Blocking(y);
    Gradients heldResult = holdAndCollide("UnrolledTestModels_Classifier", blockingY,
        () -> m.gradients(x, blockingY.array()),
        List.of(() -> m.forward(x), () -> m.gradients(x, y), () -> m.forward(x, null), () -> m.gradients(x, y, null)),
        // a replica shares only the parameters: it runs while the original is busy, with the same numbers
        List.of(() -> assertTrue(identical(logits, m.replica().forward(x)), "replica during the held pass")));
    assertSameGradients(g, heldResult, "the held pass");
    usableFromAnotherThread(() -> assertTrue(identical(logits, m.forward(x)), "after the overlap"));
  }

  @Test
  void manyToManyStateful() throws Exception {
    UnrolledGuardModels_LanguageModel m = new UnrolledGuardModels_LanguageModel(6);
    INDArray x = tokens(1, 3, 5, 12);
    INDArray y = tokens(2, 3, 5, 12);
    INDArray mask = InputErrorsTest.mask(new double[] {1, 1, 1, 1, 1}, new double[] {1, 1, 1, 0, 0},
        new double[] {1, 1, 1, 1, 0});
    UnrolledGuardModels_LanguageModel.State zero = m.initialState(3);
    StatefulModel.Step<UnrolledGuardModels_LanguageModel.State> step = m.forward(x, mask, zero);
    StatefulModel.Chunk<UnrolledGuardModels_LanguageModel.State> chunk = m.gradients(x, y, mask, step.state(), 3);

    Blocking blockingMask = new Blocking(mask);
    StatefulModel.Step<UnrolledGuardModels_LanguageModel.State> heldStep = holdAndCollide(
        "UnrolledGuardModels_LanguageModel", blockingMask,
        () -> m.forward(x, blockingMask.array(), zero),
        List.of(() -> m.gradients(x, y, mask, step.state(), 3), () -> m.forward(x), () -> m.forward(x, mask, zero),
            () -> m.gradients(x, y)),
        List.of(() -> m.initialState(3)));
    assertTrue(identical(step.logits(), heldStep.logits()), "held logits");
    for (int i = 0; i < step.state().arrays().size(); i++) {
      assertTrue(identical(step.state().arrays().get(i), heldStep.state().arrays().get(i)), "held state " + i);
    }
    usableFromAnotherThread(() -> {
      StatefulModel.Chunk<UnrolledGuardModels_LanguageModel.State> again = m.gradients(x, y, mask, step.state(), 3);
      assertSameGradients(chunk.gradients(), again.gradients(), "chunk after the overlap");
    });
  }

  @Test
  void oneToMany() throws Exception {
    UnrolledGuardModels_Captioner m = new UnrolledGuardModels_Captioner(7);
    INDArray condition = features(3, 2, 1, 3).reshape(2, 3);
    INDArray tgtIn = Nd4j.createFromArray(new long[][] {{1, 4, 5, 6}, {1, 7, 8, 3}});
    INDArray y = Nd4j.createFromArray(new long[][] {{4, 5, 6, 2}, {7, 8, 2, -100}});
    INDArray logits = m.forward(condition, tgtIn);
    Gradients g = m.gradients(condition, tgtIn, y);
    UnrolledGuardModels_Captioner.State state = m.initialState(condition);
    Decoded greedy = Decoding.greedy(m, state);

    Blocking blockingY = new Blocking(y);
    Gradients heldResult = holdAndCollide("UnrolledGuardModels_Captioner", blockingY,
        () -> m.gradients(condition, tgtIn, blockingY.array()),
        List.of(() -> m.forward(condition, tgtIn), () -> m.initialState(condition),
            () -> m.step(Nd4j.createFromArray(1L, 1L), state), () -> m.gradients(condition, tgtIn, y)),
        // decoding runs in a session with its own buffers: the busy instance does not stop it
        List.of(() -> assertEquals(greedy, Decoding.greedy(m, state), "greedy during the held pass")));
    assertSameGradients(g, heldResult, "the held pass");
    usableFromAnotherThread(() -> assertTrue(identical(logits, m.forward(condition, tgtIn)), "after the overlap"));
  }

  @Test
  void seq2seq() throws Exception {
    UnrolledGuardModels_Translator m = new UnrolledGuardModels_Translator(8);
    INDArray src = Nd4j.createFromArray(new long[][] {{3, 4, 5, 10}, {6, 7, 0, 0}});
    INDArray srcMask = InputErrorsTest.mask(new double[] {1, 1, 1, 1}, new double[] {1, 1, 0, 0});
    INDArray tgtIn = Nd4j.createFromArray(new long[][] {{1, 4, 5}, {1, 8, 3}});
    INDArray y = Nd4j.createFromArray(new long[][] {{4, 5, 2}, {8, 3, 2}});
    UnrolledGuardModels_Translator.State state = m.encode(src, srcMask);
    INDArray first = Nd4j.createFromArray(1L, 1L);
    StatefulModel.Step<UnrolledGuardModels_Translator.State> step = m.step(first, state);
    Gradients g = m.gradients(src, srcMask, tgtIn, y);

    Blocking blockingTokens = new Blocking(first);
    StatefulModel.Step<UnrolledGuardModels_Translator.State> heldStep = holdAndCollide(
        "UnrolledGuardModels_Translator", blockingTokens,
        () -> m.step(blockingTokens.array(), state),
        List.of(() -> m.encode(src, srcMask), () -> m.forward(src, srcMask, tgtIn),
            () -> m.gradients(src, srcMask, tgtIn, y), () -> m.step(first, state)),
        List.of(() -> m.session(state, 2)));
    assertTrue(identical(step.logits(), heldStep.logits()), "held step logits");
    assertTrue(identical(step.state().h0(), heldStep.state().h0()), "held step h0");
    assertTrue(identical(step.state().c0(), heldStep.state().c0()), "held step c0");
    usableFromAnotherThread(() -> assertSameGradients(g, m.gradients(src, srcMask, tgtIn, y), "after the overlap"));
  }

  @Test
  void aRefusedInputReleasesTheGuard() throws Exception {
    RecurrentModel m = new UnrolledTestModels_Classifier(5);
    INDArray x = features(1, 4, 7, 9);
    INDArray logits = m.forward(x);
    assertThrows(IllegalArgumentException.class, () -> m.forward(features(1, 4, 7, 8)));
    assertThrows(IllegalArgumentException.class, () -> m.gradients(x, classes(0, 1, 9, 0)));
    // the guard is free for another thread (this thread would re-enter a guard it still held)
    usableFromAnotherThread(() -> assertTrue(identical(logits, m.forward(x)), "after refused inputs"));
  }

  // ---- replicas on 4 threads ----------------------------------------------------------------------

  /**
   * A model and what one thread computes with its replica on input {@code i}: arrays (compared element
   * by element) and decoding results (compared with {@code equals}: tokens and log-probabilities exactly).
   */
  record Workload(String name, UnrolledModel model, BiFunction<UnrolledModel, Integer, List<Object>> work) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static List<Object> results(INDArray logits, Gradients g) {
    List<Object> out = new ArrayList<>();
    out.add(logits);
    out.add(Nd4j.scalar(g.loss()));
    out.addAll(g.asMap().values());
    return out;
  }

  /**
   * Forward and gradients of a many-to-one or many-to-many model.
   *
   * @param width the vocabulary of a token model, the features of another
   */
  private static Workload recurrent(String name, RecurrentModel model, boolean tokenInput, int width, int outputs,
      boolean manyToOne) {
    return new Workload(name, model, (replica, i) -> {
      RecurrentModel r = (RecurrentModel) replica;
      INDArray x = tokenInput ? tokens(10 + i, 3, 6, width) : features(10 + i, 3, 6, width).castTo(model.dataType());
      INDArray y = manyToOne ? tokens(20 + i, 1, 3, outputs).reshape(3) : tokens(20 + i, 3, 6, outputs);
      return results(r.forward(x), r.gradients(x, y));
    });
  }

  static Stream<Workload> workloads() {
    Workload captioner = new Workload("Captioner", new UnrolledGuardModels_Captioner(3), (replica, i) -> {
      UnrolledGuardModels_Captioner r = (UnrolledGuardModels_Captioner) replica;
      INDArray condition = features(30 + i, 3, 1, 3).reshape(3, 3);
      INDArray tgtIn = tokens(40 + i, 3, 5, 9);
      INDArray y = tokens(50 + i, 3, 5, 9);
      List<Object> out = results(r.forward(condition, tgtIn), r.gradients(condition, tgtIn, y));
      out.add(Decoding.beam(r, r.initialState(condition), 3));
      return out;
    });
    Workload translator = new Workload("Translator", new UnrolledGuardModels_Translator(4), (replica, i) -> {
      UnrolledGuardModels_Translator r = (UnrolledGuardModels_Translator) replica;
      INDArray src = tokens(60 + i, 3, 4, 11);
      INDArray tgtIn = tokens(70 + i, 3, 5, 9);
      INDArray y = tokens(80 + i, 3, 5, 9);
      List<Object> out = results(r.forward(src, null, tgtIn), r.gradients(src, null, tgtIn, y));
      UnrolledGuardModels_Translator.State state = r.encode(src, null);
      out.add(Decoding.greedy(r, state));
      out.add(Decoding.sample(r, state, 1.0, 0, 17));
      out.add(Decoding.beam(r, state, 3));
      return out;
    });
    Workload languageModel = new Workload("LanguageModel chunks", new UnrolledGuardModels_LanguageModel(5),
        (replica, i) -> {
          UnrolledGuardModels_LanguageModel r = (UnrolledGuardModels_LanguageModel) replica;
          INDArray x = tokens(90 + i, 3, 6, 12);
          INDArray y = tokens(100 + i, 3, 6, 12);
          StatefulModel.Chunk<UnrolledGuardModels_LanguageModel.State> c1 = r.gradients(x, y, null, r.initialState(3), 4);
          StatefulModel.Chunk<UnrolledGuardModels_LanguageModel.State> c2 = r.gradients(y, x, null, c1.state(), 4);
          List<Object> out = results(r.forward(x, null, c2.state()).logits(), c1.gradients());
          out.addAll(c2.gradients().asMap().values());
          out.addAll(c2.state().arrays());
          return out;
        });
    return Stream.of(
        recurrent("Classifier (LSTM, many-to-one, float)", new UnrolledTestModels_Classifier(1), false, 9, 3, true),
        recurrent("DeepTagger (bidirectional LSTM x2, many-to-many, double)",
            new UnrolledTestModels_DeepTagger(2, DataType.DOUBLE), false, 7, 3, false),
        recurrent("TokenTagger (RNN, many-to-many, tokens)", new UnrolledTestModels_TokenTagger(3), true, 10, 6, false),
        recurrent("TokenClassifier (GRU, many-to-one, tokens)", new UnrolledTestModels_TokenClassifier(4), true, 10, 4,
            true),
        languageModel, captioner, translator);
  }

  private static boolean same(Object expected, Object actual) {
    return expected instanceof INDArray a ? actual instanceof INDArray b && identical(a, b) : expected.equals(actual);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void replicasOnFourThreadsGiveTheSingleThreadResults(Workload w) throws Exception {
    int threads = 4;
    int rounds = 3;
    List<List<Object>> expected = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      expected.add(w.work().apply(w.model(), i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier together = new CyclicBarrier(threads);
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int input = i;
        UnrolledModel replica = w.model().replica();
        futures.add(pool.submit(() -> {
          List<String> mismatches = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            together.await(60, TimeUnit.SECONDS);
            List<Object> got = w.work().apply(replica, input);
            for (int k = 0; k < got.size(); k++) {
              if (!same(expected.get(input).get(k), got.get(k))) {
                mismatches.add("thread " + input + " round " + round + " result " + k);
              }
            }
          }
          return mismatches;
        }));
      }
      List<String> all = new ArrayList<>();
      for (Future<List<String>> f : futures) {
        all.addAll(f.get(120, TimeUnit.SECONDS));
      }
      assertTrue(all.isEmpty(), w.name() + ": replicas differ from the single-thread results: " + all);
    } finally {
      pool.shutdownNow();
    }
  }
}
