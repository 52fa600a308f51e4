package dev.unroll.processor.codegen;

import com.squareup.javapoet.JavaFile;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.annotation.processing.Filer;
import javax.tools.JavaFileObject;

/**
 * The last pass over a generated class's text, for what JavaPoet cannot say: it prints every
 * Javadoc on three lines at least, a blank line between any two fields, and never wraps a Javadoc.
 * Here a Javadoc of one sentence becomes {@code /** One sentence. *}{@code /} when the line fits,
 * consecutive one-line fields stand together as a group, and long Javadoc lines wrap at
 * {@value #WIDTH} columns. Only comments and blank lines change; the code is JavaPoet's.
 */
public final class Layout {
  /** The widest line of a generated class. */
  public static final int WIDTH = 100;

  /**
   * Opens a field's Javadoc to start a group of fields: a blank line before it, even between two
   * one-line fields. Never printed.
   */
  static final String GROUP = "\uE000";

  private static final Pattern FIELD = Pattern.compile(
      " +(?:(?:public|protected|private|static|final|transient|volatile) )+[\\w.<>\\[\\], ]+ \\w+( = .*)?;");
  private static final Pattern ONE_LINE_DOC = Pattern.compile(" */\\*\\* .* \\*/");

  private Layout() {}

  /** The file's text, laid out. */
  public static String of(JavaFile file) {
    return of(file.toString());
  }

  /** Writes the laid-out file through the annotation processing {@link Filer}. */
  public static void write(JavaFile file, Filer filer) throws IOException {
    String name = file.packageName.isEmpty() ? file.typeSpec.name : file.packageName + "." + file.typeSpec.name;
    JavaFileObject out = filer.createSourceFile(name, file.typeSpec.originatingElements.toArray(
        new javax.lang.model.element.Element[0]));
    try (Writer writer = out.openWriter()) {
      writer.write(of(file));
    }
  }

  static String of(String text) {
    List<String> lines = List.of(text.split("\n", -1));
    return String.join("\n", groupFields(foldDocs(wrapCode(wrapDocs(lines))))).replace(GROUP, "");
  }

  /**
   * Javadoc lines longer than {@link #WIDTH}, wrapped at spaces outside {@code {@...}} tags (not
   * inside {@code <pre>}); what a cut leaves over joins the next line when that continues the text.
   */
  private static List<String> wrapDocs(List<String> lines) {
    List<String> out = new ArrayList<>();
    ArrayDeque<String> queue = new ArrayDeque<>(lines);
    boolean pre = false;
    while (!queue.isEmpty()) {
      String line = queue.poll();
      String trimmed = line.stripLeading();
      if (trimmed.startsWith("* ") && trimmed.contains("<pre>")) {
        pre = true;
      }
      if (trimmed.startsWith("* ") && trimmed.contains("</pre>")) {
        pre = false;
      }
      int cut = width(line) <= WIDTH || pre || !trimmed.startsWith("* ") ? -1
          : cut(line, line.indexOf('*') + 2, WIDTH);
      if (cut < 0) {
        out.add(line);
        continue;
      }
      String prefix = line.substring(0, line.indexOf('*') + 2);
      out.add(line.substring(0, cut));
      String rest = line.substring(cut + 1);
      String next = queue.peek();
      boolean continues = next != null && next.startsWith(prefix) && !next.startsWith(prefix + "@")
          && !next.contains("<pre>") && next.length() > prefix.length();
      if (continues) {
        queue.poll();
        queue.push(prefix + rest + " " + next.substring(prefix.length()));
      } else {
        queue.push(prefix + rest);
      }
    }
    return out;
  }

  /**
   * Code and line comments longer than {@link #WIDTH}, wrapped as a person would: a statement after
   * a comma or before a {@code +} (never inside a string literal), a class header before
   * {@code implements}, with continuation lines indented four more; a comment at a space, as
   * another comment line.
   */
  private static List<String> wrapCode(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String trimmed = line.stripLeading();
      if (line.length() <= WIDTH || trimmed.startsWith("*") || trimmed.startsWith("/*")) {
        out.add(line);
        continue;
      }
      String indent = line.substring(0, line.length() - trimmed.length());
      if (trimmed.startsWith("// ")) {
        String prefix = indent + "// ";
        String rest = line;
        int cut;
        while (rest.length() > WIDTH && (cut = rest.lastIndexOf(' ', WIDTH)) > prefix.length()) {
          out.add(rest.substring(0, cut));
          rest = prefix + rest.substring(cut + 1);
        }
        out.add(rest);
        continue;
      }
      String continuation = indent + "    ";
      String rest = line;
      boolean first = true;
      while (rest.length() > WIDTH) {
        int cut = codeCut(rest, first ? indent.length() : continuation.length());
        if (cut < 0) {
          break;
        }
        out.add(rest.substring(0, cut).stripTrailing());
        rest = continuation + rest.substring(cut).stripLeading();
        first = false;
      }
      out.add(rest);
    }
    return out;
  }

  /**
   * Where to break a line of code: the last place at or before {@link #WIDTH}, outside string and
   * character literals, just after {@code ", "}, or at the space before {@code "+ "} or
   * {@code "implements "}; -1 if none.
   */
  private static int codeCut(String line, int from) {
    int best = -1;
    boolean string = false;
    boolean character = false;
    for (int i = from; i < line.length() && i <= WIDTH; i++) {
      char c = line.charAt(i);
      if (c == '\\' && (string || character)) {
        i++;
        continue;
      }
      if (c == '"' && !character) {
        string = !string;
      } else if (c == '\'' && !string) {
        character = !character;
      } else if (!string && !character && c == ' ' && i > from + 8) {
        if (line.charAt(i - 1) == ',' || line.startsWith(" + ", i) || line.startsWith(" implements ", i)) {
          best = line.charAt(i - 1) == ',' ? i + 1 : i + 1;
        }
      }
    }
    return best;
  }

  /** The last space in {@code line[from, max]} that is not inside a {@code {@...}} tag; -1 if none. */
  private static int cut(String line, int from, int max) {
    int best = -1;
    int depth = 0;
    for (int i = from; i < line.length() && i <= max; i++) {
      char c = line.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth = Math.max(0, depth - 1);
      } else if (c == ' ' && depth == 0 && i > from) {
        best = i;
      }
    }
    return best;
  }

  /** {@code /**}, one line of text, {@code *}{@code /} → one line, where it fits. */
  private static List<String> foldDocs(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i + 2 < lines.size() && line.stripLeading().equals("/**")) {
        String indent = line.substring(0, line.indexOf('/'));
        String text = lines.get(i + 1);
        String end = lines.get(i + 2);
        if (text.startsWith(indent + " * ") && end.equals(indent + " */")) {
          String folded = indent + "/** " + text.substring(indent.length() + 3) + " */";
          if (width(folded) <= WIDTH && !text.contains("<pre>")) {
            out.add(folded);
            i += 2;
            continue;
          }
        }
      }
      out.add(line);
    }
    return out;
  }

  /**
   * No blank line between two one-line fields (each with at most a one-line Javadoc), unless the
   * second opens a {@link #GROUP}.
   */
  private static List<String> groupFields(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty() && !out.isEmpty() && i + 1 < lines.size()
          && FIELD.matcher(out.get(out.size() - 1)).matches() && fieldStartsAt(lines, i + 1)) {
        continue;
      }
      out.add(line);
    }
    return out;
  }

  /** A line's printed width: its length without a {@link #GROUP} mark. */
  private static int width(String line) {
    return line.length() - (line.contains(GROUP) ? GROUP.length() : 0);
  }

  private static boolean fieldStartsAt(List<String> lines, int i) {
    if (lines.get(i).contains(GROUP)) {
      return false;
    }
    if (ONE_LINE_DOC.matcher(lines.get(i)).matches()) {
      i++;
    }
    return i < lines.size() && FIELD.matcher(lines.get(i)).matches();
  }
}
