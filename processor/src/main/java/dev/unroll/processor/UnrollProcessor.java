package dev.unroll.processor;

import com.google.auto.service.AutoService;
import com.squareup.javapoet.JavaFile;
import dev.unroll.processor.codegen.ReaderClassGenerator;
import dev.unroll.processor.codegen.Layout;
import dev.unroll.processor.codegen.SequenceClassGenerator;
import dev.unroll.processor.model.ReaderSpec;
import dev.unroll.processor.model.SequenceSpec;
import dev.unroll.processor.model.Spec;
import dev.unroll.processor.validate.Diagnostics;
import dev.unroll.processor.validate.Message;
import dev.unroll.processor.validate.ModelValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Messager;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * The entry point: for every interface carrying a DSL annotation, in declaration order, validate it
 * and, when that gives a model, generate its class and write it. Prints every diagnostic; never
 * throws out of {@link #process}; keeps no state across rounds.
 */
@AutoService(Processor.class)
public final class UnrollProcessor extends AbstractProcessor {
  private final Function<ReaderSpec, JavaFile> generator;

  /** The processor javac instantiates. */
  public UnrollProcessor() {
    this(spec -> new ReaderClassGenerator().generate(spec));
  }

  /** For tests: a processor with another generator. */
  UnrollProcessor(Function<ReaderSpec, JavaFile> generator) {
    this.generator = generator;
  }

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
    for (TypeElement model : candidates(annotations, round)) {
      if (validator.isPart(model)) {
        continue;
      }
      try {
        processOne(validator, model);
      } catch (RuntimeException | AssertionError e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        report(model, Message.INTERNAL, model.getQualifiedName(), trace.toString().strip());
      }
    }
    return false;
  }

  private void processOne(ModelValidator validator, TypeElement model) {
    ModelValidator.Result result = validator.validate(model);
    for (Diagnostics.Report report : result.diagnostics().reports()) {
      print(report);
    }
    if (result.spec().isEmpty()) {
      return;
    }
    Spec spec = result.spec().get();
    JavaFile file = spec instanceof SequenceSpec sequence
        ? new SequenceClassGenerator().generate(sequence)
        : generator.apply((ReaderSpec) spec);
    try {
      Layout.write(file, processingEnv.getFiler());
    } catch (IOException e) {
      String name = file.packageName.isEmpty() ? file.typeSpec.name : file.packageName + "." + file.typeSpec.name;
      report(model, Message.WRITE, name, model.getQualifiedName(), e.getMessage());
    }
  }

  /**
   * Every type carrying one of our annotations, once, in declaration order: source files as javac
   * was given them, and within a file, top to bottom, outer before nested.
   */
  private static List<TypeElement> candidates(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<Element> annotated = new LinkedHashSet<>();
    for (TypeElement annotation : annotations) {
      annotated.addAll(round.getElementsAnnotatedWith(annotation));
    }
    Set<TypeElement> ordered = new LinkedHashSet<>();
    for (Element root : round.getRootElements()) {
      collect(root, annotated, ordered);
    }
    // Anything the walk missed, in name order so that the output stays deterministic.
    annotated.stream()
        .filter(e -> e instanceof TypeElement && !ordered.contains(e))
        .map(TypeElement.class::cast)
        .sorted(Comparator.comparing(t -> t.getQualifiedName().toString()))
        .forEach(ordered::add);
    return List.copyOf(ordered);
  }

  private static void collect(Element element, Set<Element> annotated, Set<TypeElement> out) {
    if (!(element instanceof TypeElement type)) {
      return;
    }
    if (annotated.contains(type)) {
      out.add(type);
    }
    for (Element enclosed : type.getEnclosedElements()) {
      collect(enclosed, annotated, out);
    }
  }

  private void print(Diagnostics.Report report) {
    Messager messager = processingEnv.getMessager();
    if (report.value() != null) {
      messager.printMessage(report.kind(), report.text(), report.element(), report.mirror(), report.value());
    } else if (report.mirror() != null) {
      messager.printMessage(report.kind(), report.text(), report.element(), report.mirror());
    } else {
      messager.printMessage(report.kind(), report.text(), report.element());
    }
  }

  private void report(TypeElement model, Message message, Object... args) {
    processingEnv.getMessager().printMessage(message.kind(), message.format(args), model);
  }
}
