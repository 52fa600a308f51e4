package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.source;
import static dev.unroll.processor.validate.Fixtures.tiny;
import static dev.unroll.processor.validate.Fixtures.validate;

import com.google.testing.compile.Compilation;
import dev.unroll.processor.model.CellKind;
import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.ParameterSpec;
import dev.unroll.processor.model.SequenceSpec;
import dev.unroll.processor.model.StackRole;
import dev.unroll.processor.model.StackSpec;
import dev.unroll.processor.model.TopologyKind;
import dev.unroll.runtime.UnrolledModel;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The generation topologies: {@code @OneToMany} with {@code @Condition}, {@code @Seq2Seq} with its parts;
 * the rules between a decoder and the other parts are in {@link SequencePartsValidatorTest}.
 */
class SequenceValidatorTest {
  static final String ENCODER =
      "  @Gru(hidden = 8, bidirectional = true) @Embedding(vocab = 30, dim = 6) interface Encoder {}";
  static final String DECODER =
      "  @Gru(hidden = 8) @Embedding(vocab = 20, dim = 5) @Output(20) interface Decoder {}";

  /** {@code demo.Translator} from its lines (annotations, {@code interface Translator {}, parts, {@code }}). */
  static JavaFileObject translator(String... lines) {
    List<String> all = new ArrayList<>(List.of("package demo;", "import dev.unroll.dsl.*;"));
    all.addAll(List.of(lines));
    return source("demo.Translator", all.toArray(String[]::new));
  }

  /** The generation model among the results (the parts of a @Seq2Seq give a result each in the capture). */
  private static SequenceSpec generation(List<ModelValidator.Result> results) {
    List<SequenceSpec> specs = results.stream().map(ModelValidator.Result::sequence)
        .flatMap(Optional::stream).toList();
    assertThat(specs).hasSize(1);
    return specs.get(0);
  }

  private static List<String> parameterNames(SequenceSpec spec) {
    return spec.parameters().stream().map(ParameterSpec::pytorchName).toList();
  }

  // ------------------------------------------------------------ valid models

  @Test
  void validOneToMany_compilesWithoutWarnings_andGeneratesItsClass() {
    Compilation compilation = compile(tiny(
        "@OneToMany(start = 1, end = 2, maxSteps = 10)",
        "@Gru(hidden = 8)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Condition(5)",
        "@Output(20)"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFile("demo.UnrolledTiny").isPresent()).isTrue();
  }

  @Test
  void validOneToMany_givesTheModel_withInitEmbeddingRnnFc() {
    SequenceSpec spec = generation(validate(tiny(
        "@OneToMany(start = 1, end = 2, maxSteps = 10)",
        "@Lstm(hidden = 8, layers = 2)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Condition(5)",
        "@Output(20)")));
    assertThat(new SequenceSpec(null, spec.packageName(), spec.interfaceName(), spec.topology(), spec.condition(),
        spec.encoder(), spec.decoder(), spec.start(), spec.end(), spec.maxSteps()))
        .isEqualTo(new SequenceSpec(null, "demo", "Tiny", TopologyKind.ONE_TO_MANY, 5, Optional.empty(),
            new StackSpec(StackRole.RNN, CellKind.LSTM, 8, 2, false, true, 0.0, new InputSpec.Embedding(20, 6)),
            1, 2, 10));
    assertThat(spec.generatedSimpleName()).isEqualTo("UnrolledTiny");
    assertThat(parameterNames(spec)).containsExactly(
        "init.weight", "init.bias",
        "embedding.weight",
        "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
        "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1",
        "fc.weight", "fc.bias").inOrder();
  }

  @Test
  void validSeq2Seq_compilesWithoutWarnings_andGeneratesOnlyTheModelsClass() {
    Compilation compilation = compile(translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "public interface Translator {",
        ENCODER,
        DECODER,
        "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFile("demo.UnrolledTranslator").isPresent()).isTrue();
    assertThat(compilation.generatedSourceFile("demo.UnrolledTranslator_Encoder").isPresent()).isFalse();
    assertThat(compilation.generatedSourceFile("demo.UnrolledTranslator_Decoder").isPresent()).isFalse();
    assertThat(compilation.generatedSourceFiles()).hasSize(1);
  }

  @Test
  void validSeq2Seq_givesTheModel_withBothStacksAndTheBridge() {
    SequenceSpec spec = generation(validate(translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "public interface Translator {",
        ENCODER,
        DECODER,
        "}")));
    assertThat(new SequenceSpec(null, spec.packageName(), spec.interfaceName(), spec.topology(), spec.condition(),
        spec.encoder(), spec.decoder(), spec.start(), spec.end(), spec.maxSteps()))
        .isEqualTo(new SequenceSpec(null, "demo", "Translator", TopologyKind.SEQ2SEQ, 0,
            Optional.of(new StackSpec(StackRole.ENCODER, CellKind.GRU, 8, 1, true, true, 0.0,
                new InputSpec.Embedding(30, 6))),
            new StackSpec(StackRole.DECODER, CellKind.GRU, 8, 1, false, true, 0.0, new InputSpec.Embedding(20, 5)),
            1, 2, 10));
    assertThat(parameterNames(spec)).containsExactly(
        "src_embedding.weight",
        "encoder.weight_ih_l0", "encoder.weight_hh_l0", "encoder.bias_ih_l0", "encoder.bias_hh_l0",
        "encoder.weight_ih_l0_reverse", "encoder.weight_hh_l0_reverse",
        "encoder.bias_ih_l0_reverse", "encoder.bias_hh_l0_reverse",
        "bridge.weight", "bridge.bias",
        "tgt_embedding.weight",
        "decoder.weight_ih_l0", "decoder.weight_hh_l0", "decoder.bias_ih_l0", "decoder.bias_hh_l0",
        "fc.weight", "fc.bias").inOrder();
  }

  @Test
  void seq2seqWithBidirectionalLstmEncoder_bridgesHAndC_andAUnidirectionalOneDoesNot() {
    SequenceSpec bridged = generation(validate(translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Lstm(hidden = 4, bidirectional = true) @Embedding(vocab = 9, dim = 3) interface Encoder {}",
        "  @Lstm(hidden = 4) @Embedding(vocab = 7, dim = 3) @Output(7) interface Decoder {}",
        "}")));
    assertThat(parameterNames(bridged)).containsAtLeast("bridge.weight", "bridge.bias", "bridge_c.weight",
        "bridge_c.bias").inOrder();
    SequenceSpec direct = generation(validate(translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Lstm(hidden = 4) @Embedding(vocab = 9, dim = 3) interface Encoder {}",
        "  @Lstm(hidden = 4) @Embedding(vocab = 7, dim = 3) @Output(7) interface Decoder {}",
        "}")));
    assertThat(parameterNames(direct).stream().filter(n -> n.startsWith("bridge")).toList()).isEmpty();
  }

  @Test
  void generatedSeq2Seq_loads_withTheParametersOfItsSpec() throws Exception {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "public interface Translator {",
        ENCODER,
        DECODER,
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).succeededWithoutWarnings();
    UnrolledModel model = load(compilation, "demo.UnrolledTranslator");
    SequenceSpec spec = generation(validate(source));
    assertThat(List.copyOf(model.parameters().keySet())).containsExactlyElementsIn(parameterNames(spec)).inOrder();
    for (ParameterSpec p : spec.parameters()) {
      assertThat(model.parameters().get(p.pytorchName()).shape())
          .isEqualTo(p.shape().stream().mapToLong(Integer::longValue).toArray());
    }
  }

  @Test
  void partsOfASeq2Seq_areNotModels_evenWithoutATopology() {
    // Encoder and Decoder carry no topology; were they validated as models, each would get [unroll.no-topology].
    Compilation compilation = compile(translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Lstm(hidden = 8) @Embedding(vocab = 30, dim = 6) interface Encoder {}",
        "  @Lstm(hidden = 8) @Embedding(vocab = 20, dim = 5) @Output(20) interface Decoder {}",
        "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFiles()).hasSize(1);
  }

  @Test
  void interfaceNamedEncoder_outsideASeq2Seq_isAnOrdinaryModel() {
    Compilation compilation = compile(source("demo.Outer",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "public interface Outer {",
        "  @Gru(hidden = 8) @Embedding(vocab = 10, dim = 4) @ManyToMany @Output(10)",
        "  interface Encoder {}",
        "}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.generatedSourceFile("demo.UnrolledOuter_Encoder").isPresent()).isTrue();
  }

  @Test
  void interfaceNamedDecoder_outsideASeq2Seq_isValidatedAsAModel() {
    JavaFileObject source = source("demo.Outer",
        "package demo;",
        "import dev.unroll.dsl.*;",
        "@Rnn(hidden = 4) @Features(2) @ManyToOne @Output(2)",
        "interface Outer {",
        "  @Gru(hidden = 8) @Embedding(vocab = 10, dim = 4) @Output(10)",
        "  interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.no-topology] Outer.Decoder has no topology annotation; add @ManyToOne")
        .inFile(source).onLineContaining("interface Decoder");
  }

  // ------------------------------------------------------------ tokens

  @Test
  void featuresOnAOneToMany_isAnErrorOnFeatures() {
    JavaFileObject source = tiny(
        "@OneToMany(start = 1, end = 2, maxSteps = 10)",
        "@Gru(hidden = 8)",
        "@Features(4)",
        "@Condition(5)",
        "@Output(20)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.tokens] Tiny has @Features, but a @OneToMany model reads token ids "
            + "(decoding feeds each output back as the next input); use @Embedding(vocab = ..., dim = ...) instead.")
        .inFile(source).onLineContaining("@Features(4)");
  }

  @Test
  void featuresOnAnEncoderOrDecoder_isAnErrorOnFeatures() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Gru(hidden = 8) @Features(4) interface Encoder {}",
        "  @Gru(hidden = 8) @Features(3) @Output(20) interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining("[unroll.tokens] Translator.Encoder has @Features, but a @Seq2Seq Encoder reads token "
            + "ids; use @Embedding(vocab = ..., dim = ...) instead.")
        .inFile(source).onLineContaining("@Features(4)");
    assertThat(compilation)
        .hadErrorContaining("[unroll.tokens] Translator.Decoder has @Features, but a @Seq2Seq Decoder reads token "
            + "ids (decoding feeds each output back as the next input); use @Embedding")
        .inFile(source).onLineContaining("@Features(3)");
  }

  @Test
  void outputDifferentFromTheVocabulary_isAnErrorOnOutput() {
    JavaFileObject source = tiny(
        "@OneToMany(start = 1, end = 2, maxSteps = 10)",
        "@Gru(hidden = 8)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Condition(5)",
        "@Output(12)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.output-vocab] @Output(12) of Tiny differs from its @Embedding vocab = 20; "
            + "decoding feeds every output back as a token, so set @Output(20).")
        .inFile(source).onLineContaining("@Output(12)");
  }

  @Test
  void decoderOutputDifferentFromItsVocabulary_isAnErrorOnTheDecodersOutput() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        ENCODER,
        "  @Gru(hidden = 8) @Embedding(vocab = 20, dim = 5)",
        "  @Output(30) interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.output-vocab] @Output(30) of Translator.Decoder differs from its @Embedding "
            + "vocab = 20; decoding feeds every output back as a token, so set @Output(20).")
        .inFile(source).onLineContaining("@Output(30)");
  }

  @Test
  void startOrEndOutsideTheVocabulary_isAnErrorOnEach() {
    JavaFileObject source = tiny(
        "@OneToMany(start = -1,",
        "    end = 20,",
        "    maxSteps = 10)",
        "@Gru(hidden = 8)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Condition(5)",
        "@Output(20)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining("[unroll.token-range] @OneToMany start = -1 is outside the vocabulary [0, 20); "
            + "use a token id from 0 to 19.")
        .inFile(source).onLineContaining("start = -1");
    assertThat(compilation)
        .hadErrorContaining("[unroll.token-range] @OneToMany end = 20 is outside the vocabulary [0, 20); "
            + "use a token id from 0 to 19.")
        .inFile(source).onLineContaining("end = 20");
  }

  @Test
  void seq2seqTokens_areCheckedAgainstTheDecodersVocabulary() {
    // 25 is a valid source token (vocab 30) but not a target token (vocab 20)
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1,",
        "    end = 25,",
        "    maxSteps = 10)",
        "interface Translator {",
        ENCODER,
        DECODER,
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.token-range] @Seq2Seq end = 25 is outside the decoder's vocabulary [0, 20); "
            + "use a token id from 0 to 19.")
        .inFile(source).onLineContaining("end = 25");
  }

  @Test
  void startEqualToEnd_isAnErrorOnEnd() {
    JavaFileObject source = tiny(
        "@OneToMany(start = 3,",
        "    end = 3,",
        "    maxSteps = 10)",
        "@Gru(hidden = 8)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Condition(5)",
        "@Output(20)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.start-end] @OneToMany start and end are both 3; END must differ from START, "
            + "e.g. start = 1, end = 2.")
        .inFile(source).onLineContaining("end = 3");
  }

  @Test
  void maxStepsZero_isAnErrorOnMaxSteps() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2,",
        "    maxSteps = 0)",
        "interface Translator {",
        ENCODER,
        DECODER,
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.max-steps] @Seq2Seq maxSteps must be at least 1 but is 0; set the most tokens "
            + "decoding may write, e.g. maxSteps = 50.")
        .inFile(source).onLineContaining("maxSteps = 0");
  }

  // ------------------------------------------------------------ @Condition

  @Test
  void oneToManyWithoutCondition_isAnErrorOnTheInterface() {
    JavaFileObject source = tiny(
        "@OneToMany(start = 1, end = 2, maxSteps = 10)",
        "@Gru(hidden = 8)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Output(20)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.no-condition] Tiny is @OneToMany but has no @Condition; add @Condition(n) with "
            + "the length of the vector each sequence is generated from, e.g. @Condition(4096).")
        .inFile(source).onLineContaining("interface Tiny");
  }

  @Test
  void conditionZero_isAnErrorOnItsValue() {
    JavaFileObject source = tiny(
        "@OneToMany(start = 1, end = 2, maxSteps = 10)",
        "@Gru(hidden = 8)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Condition(0)",
        "@Output(20)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.condition] @Condition must be at least 1 but is 0; set it to the length of the "
            + "condition vector, e.g. @Condition(4096).")
        .inFile(source).onLineContaining("@Condition(0)");
  }

  @Test
  void conditionOnASeq2Seq_isAnErrorOnCondition() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "@Condition(5)",
        "interface Translator {",
        ENCODER,
        DECODER,
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.condition-topology] @Condition is only for @OneToMany models, but Translator is "
            + "@Seq2Seq; remove it (a @Seq2Seq decoder starts from its encoder's final state).")
        .inFile(source).onLineContaining("@Condition(5)");
  }

  @Test
  void conditionOnAManyToOne_isAnErrorOnCondition() {
    JavaFileObject source = tiny(
        "@Lstm(hidden = 8)",
        "@Features(4)",
        "@ManyToOne",
        "@Condition(5)",
        "@Output(2)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.condition-topology] @Condition is only for @OneToMany models, but Tiny is "
            + "@ManyToOne; remove it.")
        .inFile(source).onLineContaining("@Condition(5)");
  }

  // ------------------------------------------------------------ several errors

  @Test
  void severalMistakesInAOneToMany_areAllReported() {
    JavaFileObject source = tiny(
        "@OneToMany(start = -1,",
        "    end = 30,",
        "    maxSteps = 0)",
        "@Gru(hidden = 8)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Output(10)",
        "@Unroll(factor = 4)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(6);
    assertThat(compilation).hadErrorContaining("[unroll.unroll-generation]").inFile(source).onLineContaining("@Unroll");
    assertThat(compilation).hadErrorContaining("[unroll.no-condition]").inFile(source)
        .onLineContaining("interface Tiny");
    assertThat(compilation).hadErrorContaining("[unroll.output-vocab]").inFile(source).onLineContaining("@Output(10)");
    assertThat(compilation).hadErrorContaining("[unroll.token-range] @OneToMany start = -1").inFile(source)
        .onLineContaining("start = -1");
    assertThat(compilation).hadErrorContaining("[unroll.token-range] @OneToMany end = 30").inFile(source)
        .onLineContaining("end = 30");
    assertThat(compilation).hadErrorContaining("[unroll.max-steps]").inFile(source).onLineContaining("maxSteps = 0");
  }

  @Test
  void severalMistakesInASeq2Seq_areAllReported_onTheInterfaceAndItsParts() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1,",
        "    end = 1,",
        "    maxSteps = 0)",
        "@Condition(3)",
        "interface Translator {",
        "  @Gru(hidden = 8) @Embedding(vocab = 30, dim = 6)",
        "  @Output(5) interface Encoder {}",
        "  @Lstm(hidden = 16) @Embedding(vocab = 12, dim = 4)",
        "  @Output(10) interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(7);
    assertThat(compilation).hadErrorContaining("[unroll.condition-topology]").inFile(source)
        .onLineContaining("@Condition(3)");
    assertThat(compilation).hadErrorContaining("[unroll.encoder-output]").inFile(source).onLineContaining("@Output(5)");
    assertThat(compilation).hadErrorContaining("[unroll.part-mismatch] the Encoder and Decoder of Translator differ "
        + "in cell").inFile(source).onLineContaining("@Lstm");
    assertThat(compilation).hadErrorContaining("[unroll.part-mismatch] the Encoder and Decoder of Translator differ "
        + "in hidden").inFile(source).onLineContaining("@Lstm");
    assertThat(compilation).hadErrorContaining("[unroll.output-vocab]").inFile(source).onLineContaining("@Output(10)");
    assertThat(compilation).hadErrorContaining("[unroll.start-end]").inFile(source).onLineContaining("end = 1");
    assertThat(compilation).hadErrorContaining("[unroll.max-steps]").inFile(source).onLineContaining("maxSteps = 0");
  }

  /** Loads {@code className} from the compilation's class files and constructs it with seed 7 in float64. */
  private static UnrolledModel load(Compilation compilation, String className) throws Exception {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : compilation.generatedFiles()) {
      if (f.getKind() == JavaFileObject.Kind.CLASS) {
        String name = f.getName().replaceFirst("^/CLASS_OUTPUT/", "").replace(".class", "").replace('/', '.');
        try (InputStream in = f.openInputStream()) {
          classes.put(name, in.readAllBytes());
        }
      }
    }
    ClassLoader loader = new ClassLoader(SequenceValidatorTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
    return (UnrolledModel) loader.loadClass(className)
        .getConstructor(long.class, DataType.class).newInstance(7L, DataType.DOUBLE);
  }
}
