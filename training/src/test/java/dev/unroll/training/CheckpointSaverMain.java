package dev.unroll.training;

import dev.unroll.dsl.Embedding;
import dev.unroll.dsl.Lstm;
import dev.unroll.dsl.ManyToMany;
import dev.unroll.dsl.Output;
import dev.unroll.runtime.Gradients;
import dev.unroll.training.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run by {@link CheckpointKillTest} in a JVM of its own, which it kills: saves checkpoints of a 2x256
 * character LSTM with Adam state to one file, generation after generation, as fast as it can. In
 * generation {@code g} every parameter is {@code g}, and so are the data position, the RNG state and
 * the metadata {@code generation}. It prints {@code saving g} before and {@code saved g} after each
 * save.
 */
final class CheckpointSaverMain {

  /** The model saved: about 0.8 million parameters, 3.3 MB, and Adam's two moments beside them. */
  @Lstm(hidden = 256, layers = 2)
  @Embedding(vocab = 65, dim = 32)
  @ManyToMany
  @Output(65)
  interface CharLm {}

  private CheckpointSaverMain() {}

  /** Arguments: the checkpoint file and the first generation to save. */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    UnrolledCheckpointSaverMain_CharLm model = new UnrolledCheckpointSaverMain_CharLm(1);
    Adam adam = new Adam(0.01);
    INDArray tokens = Nd4j.create(new long[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, DataType.INT64);
    Gradients g = model.gradients(tokens, tokens);
    adam.step(model.parameters(), g.asMap());
    long gen = Long.parseLong(args[1]);
    assign(model, gen);
    while (true) {
      System.out.println("saving " + gen);
      Checkpoint.save(file, model, adam, new long[] {gen}, gen,
          Map.of("generation", Long.toString(gen)));
      assign(model, gen + 1); // before the line, so that saves follow each other closely
      System.out.println("saved " + gen);
      gen++;
    }
  }

  private static void assign(UnrolledCheckpointSaverMain_CharLm model, long gen) {
    for (INDArray p : model.parameters().values()) {
      p.assign(gen);
    }
  }
}
