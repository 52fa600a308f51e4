package dev.unroll.processor.validate;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.validate.Fixtures.compile;
import static dev.unroll.processor.validate.Fixtures.tiny;
import static dev.unroll.processor.validate.SequenceValidatorTest.DECODER;
import static dev.unroll.processor.validate.SequenceValidatorTest.ENCODER;
import static dev.unroll.processor.validate.SequenceValidatorTest.translator;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The parts of the generation topologies: a decoder's direction, an encoder and decoder that must
 * match, and the annotations a seq2seq model or its parts may not carry.
 */
class SequencePartsValidatorTest {
  @Test
  void bidirectionalOneToMany_isAnErrorOnBidirectional() {
    JavaFileObject source = tiny(
        "@OneToMany(start = 1, end = 2, maxSteps = 10)",
        "@Gru(hidden = 8,",
        "    bidirectional = true)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Condition(5)",
        "@Output(20)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.bidirectional-decoder] Tiny cannot be bidirectional: a decoder writes one token "
            + "at a time, left to right; remove bidirectional = true (only a @Seq2Seq Encoder may be bidirectional).")
        .inFile(source).onLineContaining("bidirectional = true");
  }

  @Test
  void bidirectionalDecoder_isAnErrorOnTheDecodersBidirectional() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Gru(hidden = 8) @Embedding(vocab = 30, dim = 6) interface Encoder {}",
        "  @Gru(hidden = 8,",
        "      bidirectional = true)",
        "  @Embedding(vocab = 20, dim = 5) @Output(20) interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.bidirectional-decoder] Translator.Decoder cannot be bidirectional")
        .inFile(source).onLineContaining("bidirectional = true");
  }

  @Test
  void missingEncoderOrDecoder_isAnErrorOnSeq2SeqNamingThePart() {
    JavaFileObject noEncoder = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        DECODER,
        "}");
    Compilation compilation = compile(noEncoder);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.no-part] @Seq2Seq Translator has no nested interface Encoder; declare "
            + "interface Encoder inside Translator with its cell and @Embedding, e.g. @Gru(hidden = 256) "
            + "@Embedding(vocab = 8000, dim = 256) interface Encoder {}.")
        .inFile(noEncoder).onLineContaining("@Seq2Seq");

    JavaFileObject noDecoder = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        ENCODER,
        "}");
    compilation = compile(noDecoder);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.no-part] @Seq2Seq Translator has no nested interface Decoder; declare "
            + "interface Decoder inside Translator with its cell, @Embedding and @Output, e.g. @Gru(hidden = 256) "
            + "@Embedding(vocab = 6000, dim = 256) @Output(6000) interface Decoder {}.")
        .inFile(noDecoder).onLineContaining("@Seq2Seq");
  }

  @Test
  void partThatIsAClass_isNotAPart() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Gru(hidden = 8) @Embedding(vocab = 30, dim = 6) class Encoder {}",
        DECODER,
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.no-part] @Seq2Seq Translator has no nested interface Encoder;")
        .inFile(source).onLineContaining("@Seq2Seq");
  }

  @Test
  void encoderAndDecoderWithDifferentCells_isAnErrorOnTheDecodersCell() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Gru(hidden = 8) @Embedding(vocab = 30, dim = 6) interface Encoder {}",
        "  @Lstm(hidden = 8) @Embedding(vocab = 20, dim = 5) @Output(20) interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.part-mismatch] the Encoder and Decoder of Translator differ in cell "
            + "(@Gru and @Lstm); the encoder's final state starts the decoder, so give both the same cell.")
        .inFile(source).onLineContaining("@Lstm");
  }

  @Test
  void encoderAndDecoderWithDifferentGruForms_isAnErrorOnTheDecodersCell() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        ENCODER,
        "  @Gru(hidden = 8, resetAfter = false) @Embedding(vocab = 20, dim = 5) @Output(20) interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.part-mismatch] the Encoder and Decoder of Translator differ in cell "
            + "(@Gru and @Gru(resetAfter = false));")
        .inFile(source).onLineContaining("resetAfter = false");
  }

  @Test
  void encoderAndDecoderWithDifferentHiddenOrLayers_isAnErrorOnEachOfTheDecodersValues() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Gru(hidden = 8, layers = 2) @Embedding(vocab = 30, dim = 6) interface Encoder {}",
        "  @Gru(hidden = 16,",
        "      layers = 3)",
        "  @Embedding(vocab = 20, dim = 5) @Output(20) interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining("[unroll.part-mismatch] the Encoder and Decoder of Translator differ in hidden "
            + "(hidden = 8 and hidden = 16); the encoder's final state starts the decoder, so give both the same "
            + "hidden.")
        .inFile(source).onLineContaining("hidden = 16");
    assertThat(compilation)
        .hadErrorContaining("[unroll.part-mismatch] the Encoder and Decoder of Translator differ in layers "
            + "(layers = 2 and layers = 3);")
        .inFile(source).onLineContaining("layers = 3");
  }

  @Test
  void layersByDefault_isReportedOnTheDecodersCell() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Gru(hidden = 8, layers = 2) @Embedding(vocab = 30, dim = 6) interface Encoder {}",
        "  @Gru(hidden = 8)",
        "  @Embedding(vocab = 20, dim = 5) @Output(20) interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.part-mismatch] the Encoder and Decoder of Translator differ in layers "
            + "(layers = 2 and layers = 1);")
        .inFile(source).onLineContaining("@Gru(hidden = 8)");
  }

  @Test
  void modelAnnotationsOnASeq2Seq_areAnErrorOnEach() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "@Lstm(hidden = 8)",
        "@Output(7)",
        "interface Translator {",
        ENCODER,
        DECODER,
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining("[unroll.part-annotation] @Lstm on @Seq2Seq Translator belongs on its parts; move it "
            + "to interface Encoder or Decoder inside Translator.")
        .inFile(source).onLineContaining("@Lstm");
    assertThat(compilation)
        .hadErrorContaining("[unroll.part-annotation] @Output on @Seq2Seq Translator belongs on its parts; move it "
            + "to interface Decoder inside Translator.")
        .inFile(source).onLineContaining("@Output(7)");
  }

  @Test
  void modelAnnotationsOnAPart_areAnErrorOnEach() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Gru(hidden = 8) @Embedding(vocab = 30, dim = 6)",
        "  @Condition(5)",
        "  interface Encoder {}",
        "  @Gru(hidden = 8) @Embedding(vocab = 20, dim = 5) @Output(20)",
        "  @ManyToMany",
        "  interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation)
        .hadErrorContaining("[unroll.part-extra] @Condition does not belong on Translator.Encoder: a @Seq2Seq part "
            + "takes a cell and @Embedding only; remove it.")
        .inFile(source).onLineContaining("@Condition(5)");
    assertThat(compilation)
        .hadErrorContaining("[unroll.part-extra] @ManyToMany does not belong on Translator.Decoder: a @Seq2Seq part "
            + "takes a cell, @Embedding and @Output only; remove it.")
        .inFile(source).onLineContaining("@ManyToMany");
  }

  @Test
  void outputOnTheEncoder_isAnErrorOnIt() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Gru(hidden = 8, bidirectional = true) @Embedding(vocab = 30, dim = 6)",
        "  @Output(30) interface Encoder {}",
        DECODER,
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.encoder-output] Translator.Encoder has @Output, but an encoder has no output "
            + "layer (its final state starts the decoder); remove it, and put @Output on the Decoder.")
        .inFile(source).onLineContaining("@Output(30)");
  }

  @Test
  void unrollOnAGenerationModel_isAnErrorOnUnroll() {
    JavaFileObject source = tiny(
        "@OneToMany(start = 1, end = 2, maxSteps = 10)",
        "@Gru(hidden = 8)",
        "@Embedding(vocab = 20, dim = 6)",
        "@Condition(5)",
        "@Output(20)",
        "@Unroll(factor = 4)");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.unroll-generation] @Unroll is not supported on @OneToMany models (Tiny): their "
            + "decoders run one step at a time when decoding; remove @Unroll.")
        .inFile(source).onLineContaining("@Unroll");
  }

  @Test
  void unrollOnAPart_isAnErrorOnUnroll() {
    JavaFileObject source = translator(
        "@Seq2Seq(start = 1, end = 2, maxSteps = 10)",
        "interface Translator {",
        "  @Gru(hidden = 8) @Embedding(vocab = 30, dim = 6)",
        "  @Unroll(steps = 4) interface Encoder {}",
        "  @Gru(hidden = 8) @Embedding(vocab = 20, dim = 5) @Output(20) interface Decoder {}",
        "}");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("[unroll.part-extra] @Unroll does not belong on Translator.Encoder")
        .inFile(source).onLineContaining("@Unroll");
  }
}
