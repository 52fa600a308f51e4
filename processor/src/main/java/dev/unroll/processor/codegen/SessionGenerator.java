package dev.unroll.processor.codegen;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The {@code Session} nested in a sequence model's class: a decoding session over a replica of the
 * model, stepping one token per row at a time (what {@code Decoding.greedy} and beam search drive).
 */
final class SessionGenerator {
  private final ClassName self;
  private final ClassName state;
  private final boolean seq2seq;
  private final List<RecurrenceGenerator> decoderLayers;
  private final List<String> stateNames;

  SessionGenerator(ClassName self, ClassName state, boolean seq2seq, List<RecurrenceGenerator> decoderLayers,
      List<String> stateNames) {
    this.self = self;
    this.state = state;
    this.seq2seq = seq2seq;
    this.decoderLayers = decoderLayers;
    this.stateNames = stateNames;
  }

/** The {@code Session} class. */
TypeSpec build() {
    TypeSpec.Builder t = TypeSpec.classBuilder("Session").addModifiers(Modifier.PRIVATE, Modifier.FINAL)
        .addSuperinterface(Names.DECODER_SESSION)
        .addJavadoc("A decoding session: a replica sized for one step of {@code rows} rows, whose state\n"
            + "moves from block 1 back to block 0 after every step.\n");
    t.addField(FieldSpec.builder(self, "replica", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("The replica whose buffers the session steps in.\n").build());
    t.addField(FieldSpec.builder(int.class, "rows", Modifier.PRIVATE)
        .addJavadoc("Rows decoded: the state's batch × copies, fewer once {@link #select} drops rows.\n")
        .build());
    t.addField(FieldSpec.builder(Names.INDARRAY, "scratch", Modifier.PRIVATE)
        .addJavadoc("Where {@link #select} gathers rows before writing them back.\n").build());
    t.addField(Skeleton.guardField(self, true));
    MethodSpec.Builder c = MethodSpec.constructorBuilder()
        .addParameter(state, "state").addParameter(int.class, "copies")
        .beginControlFlow("if (state == null || copies < 1)")
        .addStatement("throw new $T($S + copies)", IllegalArgumentException.class,
            "a session needs a state and copies >= 1; got copies = ")
        .endControlFlow()
        .addStatement("int batch = (int) state.batch()")
        .addStatement("rows = batch * copies")
        .addStatement("replica = new $T($T.this)", self, self)
        .addStatement("replica.allocate(rows, $L1)", seq2seq ? "0, " : "")
        .addStatement("scratch = $T.create(dataType, rows, HIDDEN)", Names.ND4J)
        .addStatement("int[] repeat = $T.repeatedRows(batch, copies)", Names.SEQUENCES);
    for (RecurrenceGenerator g : decoderLayers) {
      for (String s : stateNames) {
        String name = s + g.names().layer.index();
        c.addStatement("$T.state($S, state.$N(), batch, HIDDEN)", Names.INPUTS, name, name);
        c.addStatement("$T.pullRows(state.$N().castTo(dataType), replica.$N[0], 1, repeat)", Names.ND4J, name,
            g.names().field(s));
      }
    }
    t.addMethod(c.build());
    t.addMethod(Skeleton.override("rows").returns(int.class).addStatement("return rows").build());
    CodeBlock.Builder step = CodeBlock.builder()
        .addStatement("$T.tokenArray(tokens, rows, VOCAB)", Names.INPUTS)
        .addStatement("replica.decodeStep(tokens)")
        .add("// the state after the step becomes the state before the next\n");
    for (RecurrenceGenerator g : decoderLayers) {
      for (String s : stateNames) {
        step.addStatement("replica.$N[0].assign(replica.$N[1])", g.names().field(s), g.names().field(s));
      }
    }
    step.addStatement("return replica.logits");
    t.addMethod(Skeleton.override("step").returns(Names.INDARRAY).addParameter(int[].class, "tokens")
        .addCode(Skeleton.guarded(step.build())).build());
    CodeBlock.Builder select = CodeBlock.builder()
        .addStatement("$T.checkSelection(from, rows)", Names.SEQUENCES)
        .beginControlFlow("if (from.length == rows)");
    for (RecurrenceGenerator g : decoderLayers) {
      for (String s : stateNames) {
        select.addStatement("$T.selectRows(replica.$N[0], scratch, from)", Names.SEQUENCES, g.names().field(s));
      }
    }
    select.addStatement("return").endControlFlow()
        .add("// fewer rows: the others leave, and the buffers are sized for the rows kept, so that\n")
        .add("// later steps cost only those\n");
    for (RecurrenceGenerator g : decoderLayers) {
      for (String s : stateNames) {
        select.addStatement("$T $N = replica.$N[0]", Names.INDARRAY, s + g.names().layer.index(),
            g.names().field(s));
      }
    }
    select.addStatement("replica.allocate(from.length, $L1)", seq2seq ? "0, " : "");
    for (RecurrenceGenerator g : decoderLayers) {
      for (String s : stateNames) {
        select.addStatement("$T.pullRows($N, replica.$N[0], 1, from)", Names.ND4J, s + g.names().layer.index(),
            g.names().field(s));
      }
    }
    select.addStatement("rows = from.length")
        .addStatement("scratch = $T.rows(scratch, 0, rows)", Names.VIEWS);
    t.addMethod(Skeleton.override("select").addParameter(int[].class, "from")
        .addCode(Skeleton.guarded(select.build())).build());
    return t.build();
  }
}
