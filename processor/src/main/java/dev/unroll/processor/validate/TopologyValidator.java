package dev.unroll.processor.validate;

import static dev.unroll.processor.validate.AnnotationReader.MANY_TO_MANY;
import static dev.unroll.processor.validate.AnnotationReader.MANY_TO_ONE;
import static dev.unroll.processor.validate.AnnotationReader.ONE_TO_MANY;
import static dev.unroll.processor.validate.AnnotationReader.SEQ2SEQ;

import dev.unroll.processor.model.TopologyKind;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/** Exactly one of {@code @ManyToOne}, {@code @ManyToMany}, {@code @OneToMany} and {@code @Seq2Seq}. */
final class TopologyValidator {

  /** The topology, or empty after an error. */
  Optional<TopologyKind> validate(TypeElement type, String interfaceName, List<DslAnnotation> annotations,
      Diagnostics diagnostics) {
    List<DslAnnotation> topologies = DslAnnotation.named(annotations, MANY_TO_ONE, MANY_TO_MANY, ONE_TO_MANY, SEQ2SEQ);
    if (topologies.isEmpty()) {
      diagnostics.onElement(Message.NO_TOPOLOGY, type, interfaceName);
      return Optional.empty();
    }
    if (topologies.size() > 1) {
      diagnostics.onMirror(Message.TWO_TOPOLOGIES, type, topologies.get(1).mirror(),
          interfaceName, topologies.get(0).display(), topologies.get(1).display());
      return Optional.empty();
    }
    return Optional.of(switch (topologies.get(0).name()) {
      case MANY_TO_ONE -> TopologyKind.MANY_TO_ONE;
      case MANY_TO_MANY -> TopologyKind.MANY_TO_MANY;
      case ONE_TO_MANY -> TopologyKind.ONE_TO_MANY;
      default -> TopologyKind.SEQ2SEQ;
    });
  }
}
