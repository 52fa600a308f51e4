package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import dev.unroll.processor.math.Equation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements of {@code math} as generated code: a cell's equations are written over symbolic
 * names ({@code a}, {@code hPrev}, {@code Ops.add(...)}); these helpers bind those names to a layer's
 * arrays and turn the runtime's kernel classes into imported types.
 */
final class Statements {
  private Statements() {}

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** A name a statement binds: not a member ({@code .x}), a call ({@code f(}) or part of a word. */
  private static final Pattern BOUND_NAME = Pattern.compile("(?<![.\\w])[A-Za-z_][A-Za-z0-9_]*(?![\\w(])");

  private static final Pattern RUNTIME_TYPE = Pattern.compile("\\b(Ops|Views)\\.");

  /** A statement with every bound name replaced by its entry in {@code table}, and {@code Ops} imported. */
  static CodeBlock substitute(String statement, Map<String, String> table) {
    Matcher m = BOUND_NAME.matcher(statement);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = table.getOrDefault(m.group(), m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return ops(out.toString());
  }

  /** A statement with {@code Ops.} and {@code Views.} turned into imported type references. */
  static CodeBlock ops(String statement) {
    String body = statement.endsWith(";") ? statement.substring(0, statement.length() - 1) : statement;
    List<Object> args = new ArrayList<>();
    Matcher m = RUNTIME_TYPE.matcher(body);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      args.add(m.group(1).equals("Ops") ? Names.OPS : Names.VIEWS);
      m.appendReplacement(out, Matcher.quoteReplacement("$T."));
    }
    m.appendTail(out);
    return CodeBlock.builder().addStatement(out.toString(), args.toArray()).build();
  }

  /** Every identifier the statements of some equations mention. */
  static Set<String> identifiers(List<Equation> eqs) {
    Set<String> out = new LinkedHashSet<>();
    for (Equation e : eqs) {
      for (String s : e.statements()) {
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
          out.add(m.group());
        }
      }
    }
    return out;
  }
}
