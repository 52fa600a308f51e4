package dev.unroll.processor.codegen;

import com.squareup.javapoet.ClassName;

/**
 * The types generated code names. ND4J and runtime types are named, never loaded, so neither is on
 * the processor's class path.
 */
final class Names {
  private Names() {}

  static final String RUNTIME = "dev.unroll.runtime";

  /** The generation models' interfaces and their decoder session. */
  static final String GENERATION = "dev.unroll.runtime.generation";

  /** The kernels generated code calls: public, but not an API. */
  static final String KERNELS = "dev.unroll.runtime.internal";

  static final ClassName INDARRAY = ClassName.get("org.nd4j.linalg.api.ndarray", "INDArray");
  static final ClassName DATA_TYPE = ClassName.get("org.nd4j.linalg.api.buffer", "DataType");
  static final ClassName ND4J = ClassName.get("org.nd4j.linalg.factory", "Nd4j");

  static final ClassName OPS = ClassName.get(KERNELS, "Ops");
  static final ClassName ACTIVATIONS = ClassName.get(KERNELS, "Activations");
  static final ClassName VIEWS = ClassName.get(KERNELS, "Views");
  static final ClassName ROW_BUFFER = ClassName.get(KERNELS, "RowBuffer");
  static final ClassName RECURRENT_WEIGHT = ClassName.get(KERNELS, "RecurrentWeight");
  static final ClassName FUSED_LSTM = ClassName.get(KERNELS, "FusedLstm");
  static final ClassName DIRECTIONS = ClassName.get(KERNELS, "Directions");
  static final ClassName SEQUENCES = ClassName.get(KERNELS, "Sequences");
  static final ClassName INPUTS = ClassName.get(KERNELS, "Inputs");
  static final ClassName CROSS_ENTROPY = ClassName.get(KERNELS, "CrossEntropy");
  static final ClassName MEAN_SQUARED_ERROR = ClassName.get(KERNELS, "MeanSquaredError");
  static final ClassName INIT = ClassName.get(KERNELS, "Init");
  static final ClassName DROPOUT = ClassName.get(KERNELS, "Dropout");
  static final ClassName GRADIENTS = ClassName.get(RUNTIME, "Gradients");
  static final ClassName RECURRENT_MODEL = ClassName.get(RUNTIME, "RecurrentModel");
  static final ClassName STATEFUL_MODEL = ClassName.get(RUNTIME, "StatefulModel");
  static final ClassName ONE_TO_MANY_MODEL = ClassName.get(GENERATION, "OneToManyModel");
  static final ClassName SEQ2SEQ_MODEL = ClassName.get(GENERATION, "Seq2SeqModel");
  static final ClassName DECODER_SESSION = ClassName.get(GENERATION, "DecoderSession");
  static final ClassName PASS_GUARD = ClassName.get(KERNELS, "PassGuard");
  static final ClassName PARAMETERS = ClassName.get(KERNELS, "Parameters");
  static final ClassName SPARE_ARRAYS = ClassName.get(KERNELS, "SpareArrays");
  static final ClassName STEP = STATEFUL_MODEL.nestedClass("Step");
  static final ClassName CHUNK = STATEFUL_MODEL.nestedClass("Chunk");
  static final ClassName RECURRENT_STATE = ClassName.get(RUNTIME, "RecurrentState");
  static final ClassName MODEL_CONFIG = ClassName.get(RUNTIME, "ModelConfig");
  static final ClassName COST = ClassName.get(RUNTIME, "Cost");
  static final ClassName CELL_TYPE = MODEL_CONFIG.nestedClass("CellType");
  static final ClassName TOPOLOGY = MODEL_CONFIG.nestedClass("Topology");
  static final ClassName LOSS_TYPE = MODEL_CONFIG.nestedClass("LossType");

  static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  static final ClassName MAP = ClassName.get("java.util", "Map");
  static final ClassName SPLITTABLE_RANDOM = ClassName.get("java.util", "SplittableRandom");
  static final ClassName STRING = ClassName.get("java.lang", "String");
}
