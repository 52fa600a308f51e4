package dev.unroll.runtime.internal.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A parser for the Python literals of a {@code .npy} header: dicts, tuples, lists, strings, integers,
 * {@code True}, {@code False} and {@code None}. Tuples and lists become {@link List}s, integers
 * {@link Long}s. Nesting is limited to {@value #MAX_DEPTH} levels, so that no header can exhaust the
 * stack. Errors are {@link IllegalStateException}s whose message says what and where.
 */
final class PyLiteral {

  /** The deepest nesting accepted; a {@code .npy} header needs 3 (a dict, a shape, a field list). */
  static final int MAX_DEPTH = 32;

  private final String s;
  private int i;
  private int depth;

  private PyLiteral(String s) {
    this.s = s;
  }

  /** Parses text that holds exactly one literal (and white space). */
  static Object parse(String text) {
    PyLiteral p = new PyLiteral(text);
    Object v = p.value();
    p.skip();
    if (p.i != text.length()) {
      throw new IllegalStateException("unexpected '" + text.charAt(p.i) + "' at offset " + p.i);
    }
    return v;
  }

  private Object value() {
    skip();
    if (i >= s.length()) {
      throw new IllegalStateException("unexpected end");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return nested(() -> dict());
      case '(':
        return nested(() -> sequence(')'));
      case '[':
        return nested(() -> sequence(']'));
      case '\'':
      case '"':
        return string();
      default:
        if (c == '-' || c == '+' || Character.isDigit(c)) {
          return integer();
        }
        if (s.startsWith("True", i)) {
          i += 4;
          return Boolean.TRUE;
        }
        if (s.startsWith("False", i)) {
          i += 5;
          return Boolean.FALSE;
        }
        if (s.startsWith("None", i)) {
          i += 4;
          return "None";
        }
        throw new IllegalStateException("unexpected '" + c + "' at offset " + i);
    }
  }

  private Object nested(Supplier<Object> container) {
    if (++depth > MAX_DEPTH) {
      throw new IllegalStateException("nested more than " + MAX_DEPTH + " levels deep");
    }
    Object v = container.get();
    depth--;
    return v;
  }

  private Map<Object, Object> dict() {
    Map<Object, Object> out = new LinkedHashMap<>();
    i++;
    while (true) {
      skip();
      if (peek() == '}') {
        i++;
        return out;
      }
      Object key = value();
      skip();
      expect(':');
      Object val = value();
      out.put(key, val);
      skip();
      if (peek() == ',') {
        i++;
      } else if (peek() != '}') {
        throw new IllegalStateException("expected ',' or '}' at offset " + i);
      }
    }
  }

  private List<Object> sequence(char close) {
    List<Object> out = new ArrayList<>();
    i++;
    while (true) {
      skip();
      if (peek() == close) {
        i++;
        return out;
      }
      out.add(value());
      skip();
      if (peek() == ',') {
        i++;
      } else if (peek() != close) {
        throw new IllegalStateException("expected ',' or '" + close + "' at offset " + i);
      }
    }
  }

  private String string() {
    char quote = s.charAt(i++);
    StringBuilder b = new StringBuilder();
    while (true) {
      if (i >= s.length()) {
        throw new IllegalStateException("unterminated string");
      }
      char c = s.charAt(i++);
      if (c == quote) {
        return b.toString();
      }
      if (c == '\\') {
        if (i >= s.length()) {
          throw new IllegalStateException("unterminated string");
        }
        c = s.charAt(i++);
      }
      b.append(c);
    }
  }

  private Long integer() {
    int start = i;
    if (s.charAt(i) == '-' || s.charAt(i) == '+') {
      i++;
    }
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    String digits = s.substring(start, i);
    if (i < s.length() && (s.charAt(i) == 'L' || s.charAt(i) == 'l')) {
      i++; // Python 2 long suffix
    }
    try {
      return Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("bad integer '" + digits + "'", e);
    }
  }

  private void expect(char c) {
    if (peek() != c) {
      throw new IllegalStateException("expected '" + c + "' at offset " + i);
    }
    i++;
  }

  private char peek() {
    if (i >= s.length()) {
      throw new IllegalStateException("unexpected end");
    }
    return s.charAt(i);
  }

  private void skip() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }
}
