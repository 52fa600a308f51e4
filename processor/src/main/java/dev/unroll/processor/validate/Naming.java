package dev.unroll.processor.validate;

import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** How the user's interface and the class generated for it are named. */
final class Naming {
  private Naming() {}

  /** The interface's package, {@code ""} for the unnamed package. */
  static String packageName(Elements elements, TypeElement type) {
    return elements.getPackageOf(type).getQualifiedName().toString();
  }

  /** The interface's name relative to its package: {@code Tiny}, or {@code Outer.Inner} when nested. */
  static String interfaceName(Elements elements, TypeElement type) {
    String pkg = packageName(elements, type);
    String qualified = type.getQualifiedName().toString();
    return pkg.isEmpty() ? qualified : qualified.substring(pkg.length() + 1);
  }

  /** The generated class's simple name; the same rule as {@code ReaderSpec.generatedSimpleName()}. */
  static String generatedSimpleName(String interfaceName) {
    return "Unrolled" + interfaceName.replace('.', '_');
  }

  /** {@code pkg.Name}, or {@code Name} in the unnamed package. */
  static String qualify(String packageName, String simpleName) {
    return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
  }

  /** "two", "three": how many annotations of a kind an interface carries. */
  static String count(int n) {
    return switch (n) {
      case 2 -> "two";
      case 3 -> "three";
      default -> Integer.toString(n);
    };
  }

  /** {@code @Lstm and @Gru}; {@code @Lstm, @Gru and @Rnn}. */
  static String andList(List<DslAnnotation> annotations) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < annotations.size(); i++) {
      if (i > 0) {
        out.append(i == annotations.size() - 1 ? " and " : ", ");
      }
      out.append(annotations.get(i).display());
    }
    return out.toString();
  }
}
