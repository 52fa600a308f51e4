package dev.unroll.processor.validate;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.unroll.processor.UnrollProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/** Sources and compilations shared by the diagnostic tests. */
public final class Fixtures {
  private Fixtures() {}

  /** {@code demo.Tiny}: the given lines (annotations, one per line) above {@code interface Tiny {}}. */
  public static JavaFileObject tiny(String... annotationLines) {
    List<String> lines = new ArrayList<>();
    lines.add("package demo;");
    lines.add("import dev.unroll.dsl.*;");
    lines.addAll(List.of(annotationLines));
    lines.add("interface Tiny {}");
    return JavaFileObjects.forSourceLines("demo.Tiny", lines);
  }

  /** A source file from its lines. */
  public static JavaFileObject source(String qualifiedName, String... lines) {
    return JavaFileObjects.forSourceLines(qualifiedName, lines);
  }

  /** Compiles with the real processor. */
  public static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new UnrollProcessor()).compile(sources);
  }

  /** Runs only the validate stage over {@code sources} and keeps the results; prints and writes nothing. */
  static List<ModelValidator.Result> validate(JavaFileObject... sources) {
    Capture capture = new Capture();
    javac().withProcessors(capture).compile(sources);
    return capture.results;
  }

  /** A processor that records what {@link ModelValidator} returns for each annotated type. */
  private static final class Capture extends AbstractProcessor {
    final List<ModelValidator.Result> results = new ArrayList<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return ModelValidator.ANNOTATION_TYPES;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      ModelValidator validator =
          new ModelValidator(processingEnv.getElementUtils(), processingEnv.getTypeUtils());
      List<Element> seen = new ArrayList<>();
      for (TypeElement annotation : annotations) {
        for (Element e : round.getElementsAnnotatedWith(annotation)) {
          if (!seen.contains(e)) {
            seen.add(e);
            results.add(validator.validate((TypeElement) e));
          }
        }
      }
      return false;
    }
  }
}
