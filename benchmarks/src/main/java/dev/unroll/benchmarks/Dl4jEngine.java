package dev.unroll.benchmarks;

import dev.unroll.runtime.ModelConfig.CellType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * DL4J's {@code MultiLayerNetwork} on the same shape: {@code LSTM} or {@code SimpleRnn} layers, batch
 * first ({@link RNNFormat#NWC}), then softmax cross-entropy through {@code RnnOutputLayer} (many to many)
 * or {@code LastTimeStep} plus {@code OutputLayer} (many to one), plain SGD. Forward is
 * {@code output()}, forward plus backward is {@code computeGradientAndScore()}, a training step is
 * {@code fit()}. DL4J has no GRU layer.
 */
final class Dl4jEngine implements Engine {
  private final MultiLayerNetwork net;
  private final INDArray x;
  private final INDArray labels;

  private Dl4jEngine(MultiLayerNetwork net, INDArray x, INDArray labels) {
    this.net = net;
    this.x = x;
    this.labels = labels;
  }

  /** Whether DL4J has this workload's cell. */
  static boolean supports(Workload w) {
    return w.cell() == CellType.LSTM || w.cell() == CellType.RNN_TANH;
  }

  static Dl4jEngine create(Workload w, INDArray x) {
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
        .seed(Workload.SEED)
        .dataType(w.dataType())
        .updater(new Sgd(SgdStep.LEARNING_RATE))
        .weightInit(WeightInit.XAVIER)
        .list();
    for (int l = 0; l < w.layers(); l++) {
      int in = l == 0 ? w.features() : w.hidden();
      Layer rnn = w.cell() == CellType.LSTM
          ? new LSTM.Builder().nIn(in).nOut(w.hidden()).activation(Activation.TANH)
              .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NWC).build()
          : new SimpleRnn.Builder().nIn(in).nOut(w.hidden()).activation(Activation.TANH)
              .dataFormat(RNNFormat.NWC).build();
      boolean top = l == w.layers() - 1;
      list.layer(top && !w.manyToMany() ? new LastTimeStep(rnn) : rnn);
    }
    list.layer(w.manyToMany()
        ? new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(w.hidden()).nOut(w.classes())
            .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NWC).build()
        : new OutputLayer.Builder(LossFunction.MCXENT).nIn(w.hidden()).nOut(w.classes())
            .activation(Activation.SOFTMAX).build());
    list.setInputType(InputType.recurrent(w.features(), w.steps(), RNNFormat.NWC));
    MultiLayerNetwork net = new MultiLayerNetwork(list.build());
    net.init();
    return new Dl4jEngine(net, x, w.oneHotTargets());
  }

  @Override
  public INDArray forward() {
    return net.output(x);
  }

  @Override
  public double forwardBackward() {
    net.setInput(x);
    net.setLabels(labels);
    net.computeGradientAndScore();
    return net.score();
  }

  @Override
  public double trainStep() {
    net.fit(x, labels);
    return net.score();
  }
}
