package dev.unroll.spark;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.internal.MeanSquaredError;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.StatefulModel;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The executor's side of a training step: one shard's gradients on a replica of the broadcast model. */
final class GradientTask implements Function<Shard, ShardResult> {
  private static final long serialVersionUID = 1L;
  private static final long IGNORE = -100;

  private final Broadcast<Parameters> parameters;
  private final ModelFactory factory;

  GradientTask(Broadcast<Parameters> parameters, ModelFactory factory) {
    this.parameters = parameters;
    this.factory = factory;
  }

  @Override
  public ShardResult call(Shard shard) {
    try (ExecutorModels.Lease lease =
        ExecutorModels.borrow(parameters.id(), factory, parameters::value)) {
      RecurrentModel model = (RecurrentModel) lease.model();
      model.seedDropout(shard.dropoutSeed());
      INDArray x = shard.x().toArray();
      INDArray y = shard.y().toArray();
      INDArray mask = shard.mask() == null ? null : shard.mask().toArray();
      long start = System.nanoTime();
      Gradients g;
      Block[] state = null;
      if (shard.backSteps() > 0) {
        StatefulModel.Chunk<?> chunk =
            chunk((StatefulModel<?>) model, x, y, mask, shard.state(), shard.backSteps());
        g = chunk.gradients();
        state = Block.of(chunk.state().arrays());
      } else {
        g = model.gradients(x, y, mask);
      }
      long nanos = System.nanoTime() - start;
      String[] names = g.asMap().keySet().toArray(new String[0]);
      Block[] blocks = new Block[names.length];
      for (int i = 0; i < names.length; i++) {
        blocks[i] = Block.of(g.get(names[i]));
      }
      // copied: the executor's model reuses the arrays for its next shard
      g.release();
      // the weight of this shard's mean: its counted targets, or for a model trained by mean squared
      // error its counted elements (valid steps × outputs; the mask decides, float targets have no -100)
      long counted = model.config().regression() ? MeanSquaredError.counted(y, mask) : counted(shard.y());
      return new ShardResult(g.loss(), counted, names, blocks, state, nanos);
    }
  }

  private static <S extends RecurrentState> StatefulModel.Chunk<S> chunk(
      StatefulModel<S> model, INDArray x, INDArray y, INDArray mask, Block[] state, int backSteps) {
    S initial = model.initialState((int) x.size(0));
    if (state != null) {
      List<INDArray> arrays = initial.arrays();
      for (int i = 0; i < state.length; i++) {
        state[i].copyInto(arrays.get(i));
      }
    }
    return model.gradients(x, y, mask, initial, backSteps);
  }

  /** The targets that count in the loss: those that are not -100. */
  static long counted(Block y) {
    long n = 0;
    for (long t : y.asLongs()) {
      if (t != IGNORE) {
        n++;
      }
    }
    return n;
  }
}
