package dev.unroll.processor.validate;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

class MessageTest {

  @Test
  void everyTag_isBracketedUnique_andStartsTheText() {
    Set<String> tags = new HashSet<>();
    for (Message m : Message.values()) {
      assertThat(m.tag()).matches("\\[unroll\\.[a-z-]+]");
      assertThat(tags.add(m.tag())).isTrue();
    }
    assertThat(Message.HIDDEN.format("Lstm", 0)).isEqualTo(
        "[unroll.hidden] @Lstm hidden must be at least 1 but is 0; set it to the state size, "
            + "e.g. @Lstm(hidden = 128).");
  }

  @Test
  void onlyTheDropoutRuleWarns() {
    for (Message m : Message.values()) {
      assertThat(m.kind()).isEqualTo(m == Message.DROPOUT_ONE_LAYER ? Diagnostic.Kind.WARNING : Diagnostic.Kind.ERROR);
    }
  }

  @Test
  void everyMessage_hasATestAssertingItsTag() throws IOException {
    Path tests = Path.of("src/test/java/dev/unroll/processor");
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(tests)) {
      for (Path file : files.filter(f -> f.toString().endsWith("Test.java")).toList()) {
        all.append(Files.readString(file));
      }
    }
    List<String> untested = new ArrayList<>();
    for (Message m : Message.values()) {
      if (!all.toString().contains("\"" + m.tag() + " ")) {
        untested.add(m.name());
      }
    }
    assertThat(untested).isEmpty();
  }
}
