package dev.unroll.benchmarks;

import dev.unroll.runtime.ModelConfig.CellType;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * libnd4j's fused {@code lstmLayer} op (one native call runs the whole time loop of one layer), built
 * with {@code DynamicCustomOp.builder} because the typed {@code LSTMLayer} constructor is broken in
 * M2.1, plus the linear output layer as one product. Forward plus backward adds softmax cross-entropy
 * by hand and {@code lstmLayer_bp}, which recomputes the forward pass inside. The weights are the
 * generated model's, converted ({@code W_x = W_ihᵀ}, {@code W_r = W_hhᵀ}, {@code b = b_ih + b_hh};
 * both use the gate order i, f, g, o), so the logits must agree with ours.
 *
 * <p>Arguments, from libnd4j's {@code ops/declarable/generic/nn/recurrent/lstmLayer.cpp}: inputs
 * {@code x, Wx [nIn, 4H], Wr [H, 4H], b [4H]}; integer arguments {@code dataFormat} (1 = batch first
 * {@code [bS, sL, nIn]}), {@code directionMode} (0 = forward), gate, cell and output activations
 * (2 = sigmoid, 0 = tanh); one float argument, the cell clip (0 = none); booleans {@code hasBiases,
 * hasSeqLen, hasInitH, hasInitC, hasPH, retFullSeq, retLastH, retLastC}. The backward op takes the same
 * arguments plus {@code dLdh} (when {@code retFullSeq}) or {@code dLdhL} (when {@code retLastH}) after
 * the inputs, and returns {@code dLdx, dLdWx, dLdWr, dLdb}.
 */
final class FusedLstmEngine implements Engine {
  private static final int BATCH_FIRST = 1;
  private static final int FORWARD = 0;
  private static final int SIGMOID = 2;
  private static final int TANH = 0;

  private final Workload w;
  private final INDArray x;
  private final INDArray oneHot;
  private final INDArray[] wx;
  private final INDArray[] wr;
  private final INDArray[] b;
  private final INDArray fcWeight;
  private final INDArray fcBias;

  /** Whether the fused op covers this workload (LSTM only). */
  static boolean supports(Workload w) {
    return w.cell() == CellType.LSTM;
  }

  /** Converts {@code params} (PyTorch names and layout) to the op's layout. */
  FusedLstmEngine(Workload w, Map<String, INDArray> params, INDArray x) {
    this.w = w;
    this.x = x;
    INDArray hot = w.oneHotTargets();
    this.oneHot = hot.reshape(hot.length() / w.classes(), w.classes());
    int layers = w.layers();
    wx = new INDArray[layers];
    wr = new INDArray[layers];
    b = new INDArray[layers];
    for (int l = 0; l < layers; l++) {
      wx[l] = params.get("rnn.weight_ih_l" + l).transpose().dup('c');
      wr[l] = params.get("rnn.weight_hh_l" + l).transpose().dup('c');
      b[l] = params.get("rnn.bias_ih_l" + l).add(params.get("rnn.bias_hh_l" + l));
    }
    fcWeight = params.get("fc.weight").dup();
    fcBias = params.get("fc.bias").dup();
  }

  /** Layer outputs of one forward pass: {@code h[l]} is the full sequence, except the top of a many-to-one model, {@code [B, H]}. */
  private INDArray[] layers() {
    INDArray[] h = new INDArray[w.layers()];
    INDArray in = x;
    for (int l = 0; l < w.layers(); l++) {
      boolean lastOnly = l == w.layers() - 1 && !w.manyToMany();
      // all three outputs (full h, last h, last c): with the oneDNN jar, asking for the full
      // sequence alone fails in M2.1 ("object is not initialized")
      DynamicCustomOp op = DynamicCustomOp.builder("lstmLayer")
          .addInputs(in, wx[l], wr[l], b[l])
          .addIntegerArguments(BATCH_FIRST, FORWARD, SIGMOID, TANH, TANH)
          .addFloatingPointArguments(0.0)
          .addBooleanArguments(true, false, false, false, false, true, true, true)
          .build();
      INDArray[] out = Nd4j.exec(op);
      h[l] = lastOnly ? out[1] : out[0];
      in = h[l];
    }
    return h;
  }

  /** The top layer's output as rows {@code [B·T, H]} or {@code [B, H]}. */
  private INDArray topRows(INDArray top) {
    return w.manyToMany() ? top.reshape(top.length() / w.hidden(), w.hidden()) : top;
  }

  private INDArray logits(INDArray rows) {
    return rows.mmul(fcWeight.transpose()).addiRowVector(fcBias);
  }

  @Override
  public INDArray forward() {
    INDArray[] h = layers();
    INDArray logits = logits(topRows(h[h.length - 1]));
    return w.manyToMany() ? logits.reshape(w.batch(), w.steps(), w.classes()) : logits;
  }

  /** One forward and backward pass: the loss and the gradient of every array this engine holds. */
  private Result backward() {
    INDArray[] h = layers();
    INDArray rows = topRows(h[h.length - 1]);
    INDArray logits = logits(rows);
    long n = logits.size(0);
    INDArray p = Transforms.softmax(logits, true);
    double loss = -Transforms.log(p.mul(oneHot).sum(1), false).sumNumber().doubleValue() / n;
    INDArray dLogits = p.subi(oneHot).divi(n);
    INDArray dFcWeight = dLogits.transpose().mmul(rows);
    INDArray dFcBias = dLogits.sum(0);
    INDArray dTop = dLogits.mmul(fcWeight);
    INDArray[] dWx = new INDArray[w.layers()];
    INDArray[] dWr = new INDArray[w.layers()];
    INDArray[] db = new INDArray[w.layers()];
    INDArray dOut = w.manyToMany() ? dTop.reshape(w.batch(), w.steps(), w.hidden()) : dTop;
    for (int l = w.layers() - 1; l >= 0; l--) {
      INDArray in = l == 0 ? x : h[l - 1];
      boolean lastOnly = l == w.layers() - 1 && !w.manyToMany();
      INDArray dIn = in.ulike();
      dWx[l] = wx[l].ulike();
      dWr[l] = wr[l].ulike();
      db[l] = b[l].ulike();
      DynamicCustomOp op = DynamicCustomOp.builder("lstmLayer_bp")
          .addInputs(in, wx[l], wr[l], b[l], dOut)
          .addIntegerArguments(BATCH_FIRST, FORWARD, SIGMOID, TANH, TANH)
          .addFloatingPointArguments(0.0)
          .addBooleanArguments(true, false, false, false, false, !lastOnly, lastOnly, false)
          .addOutputs(dIn, dWx[l], dWr[l], db[l])
          .build();
      Nd4j.exec(op);
      dOut = dIn;
    }
    return new Result(loss, dWx, dWr, db, dFcWeight, dFcBias);
  }

  private record Result(double loss, INDArray[] dWx, INDArray[] dWr, INDArray[] db, INDArray dFcWeight,
      INDArray dFcBias) {}

  @Override
  public double forwardBackward() {
    return backward().loss();
  }

  @Override
  public double trainStep() {
    Result g = backward();
    double lr = SgdStep.LEARNING_RATE;
    for (int l = 0; l < w.layers(); l++) {
      wx[l].subi(g.dWx()[l].mul(lr));
      wr[l].subi(g.dWr()[l].mul(lr));
      b[l].subi(g.db()[l].mul(lr));
    }
    fcWeight.subi(g.dFcWeight().mul(lr));
    fcBias.subi(g.dFcBias().mul(lr));
    return g.loss();
  }

  /**
   * The gradient of {@code rnn.weight_hh_l0} in PyTorch's layout, {@code dW_rᵀ}, for comparing with the
   * generated model's.
   */
  INDArray weightHh0Gradient() {
    return backward().dWr()[0].transpose();
  }
}
