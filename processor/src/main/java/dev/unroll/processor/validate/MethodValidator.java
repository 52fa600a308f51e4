package dev.unroll.processor.validate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * Every abstract method of the interface, declared or inherited, must be one the generated class
 * implements: a method of {@code dev.unroll.runtime.RecurrentModel} (with {@code UnrolledModel}) or a
 * public method of {@code Object}. Signatures are compared as names and erased parameter types, as
 * strings, since ND4J is not on the processor's class path.
 */
final class MethodValidator {
  private static final String INDARRAY = "org.nd4j.linalg.api.ndarray.INDArray";
  private static final String PATH = "java.nio.file.Path";

  /** {@code name(erased, parameter, types)} of every method the generated class provides. */
  static final Set<String> IMPLEMENTED = Set.of(
      // RecurrentModel
      "forward(" + INDARRAY + ")",
      "forward(" + INDARRAY + "," + INDARRAY + ")",
      "gradients(" + INDARRAY + "," + INDARRAY + ")",
      "gradients(" + INDARRAY + "," + INDARRAY + "," + INDARRAY + ")",
      // UnrolledModel
      "parameters()",
      "dataType()",
      "config()",
      "replica()",
      "importWeights(" + PATH + ")",
      "exportWeights(" + PATH + ")",
      // Object
      "toString()",
      "hashCode()",
      "equals(java.lang.Object)");

  private final Types types;

  MethodValidator(Types types) {
    this.types = types;
  }

  /** One method of the interface or a super-interface, with its signature as seen from the interface. */
  private record Member(TypeElement owner, ExecutableElement method, String signature) {}

  void validate(TypeElement type, String interfaceName, Diagnostics diagnostics) {
    List<Member> members = new ArrayList<>();
    collect(type, type, new LinkedHashSet<>(), members);
    Set<String> reported = new HashSet<>();
    for (Member m : members) {
      if (!m.method().getModifiers().contains(Modifier.ABSTRACT)
          || IMPLEMENTED.contains(m.signature())
          || overridden(m, members)
          || !reported.add(m.signature())) {
        continue;
      }
      String display = display(m.method());
      if (m.owner().equals(type)) {
        diagnostics.onElement(Message.METHOD, m.method(), interfaceName, display);
      } else {
        diagnostics.onElement(Message.INHERITED_METHOD, type, interfaceName, display,
            m.owner().getQualifiedName());
      }
    }
  }

  /** Methods of {@code current} and its super-interfaces, depth first, in declaration order. */
  private void collect(TypeElement model, TypeElement current, Set<TypeElement> visited, List<Member> out) {
    if (!visited.add(current)) {
      return;
    }
    for (Element e : current.getEnclosedElements()) {
      if (e.getKind() == ElementKind.METHOD && !e.getModifiers().contains(Modifier.STATIC)) {
        ExecutableElement method = (ExecutableElement) e;
        out.add(new Member(current, method, signature(model, method)));
      }
    }
    for (TypeMirror parent : current.getInterfaces()) {
      if (parent.getKind() == TypeKind.DECLARED
          && ((DeclaredType) parent).asElement() instanceof TypeElement parentType) {
        collect(model, parentType, visited, out);
      }
    }
  }

  /** Whether a method of a sub-interface of {@code m}'s owner has the same signature. */
  private boolean overridden(Member m, List<Member> members) {
    for (Member other : members) {
      if (other.owner() != m.owner()
          && other.signature().equals(m.signature())
          && types.isSubtype(types.erasure(other.owner().asType()), types.erasure(m.owner().asType()))) {
        return true;
      }
    }
    return false;
  }

  /** {@code name(erased,parameter,types)}, parameters as the model interface sees them. */
  private String signature(TypeElement model, ExecutableElement method) {
    List<? extends TypeMirror> parameters;
    if (model.asType() instanceof DeclaredType declared
        && types.asMemberOf(declared, method) instanceof ExecutableType executable) {
      parameters = executable.getParameterTypes();
    } else {
      parameters = method.getParameters().stream().map(Element::asType).toList();
    }
    return method.getSimpleName() + parameters.stream()
        .map(p -> types.erasure(p).toString())
        .collect(Collectors.joining(",", "(", ")"));
  }

  /** {@code foo(int, String)}: the method as a user recognises it. */
  private String display(ExecutableElement method) {
    return method.getSimpleName() + method.getParameters().stream()
        .map(p -> simple(types.erasure(p.asType())))
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String simple(TypeMirror type) {
    if (type instanceof ArrayType array) {
      return simple(array.getComponentType()) + "[]";
    }
    if (type instanceof DeclaredType declared) {
      return declared.asElement().getSimpleName().toString();
    }
    return type.toString();
  }
}
