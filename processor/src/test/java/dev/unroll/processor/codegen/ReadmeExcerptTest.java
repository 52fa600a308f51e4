package dev.unroll.processor.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's excerpt of generated code is cut from a golden; this keeps the two in step. */
class ReadmeExcerptTest {

  @Test
  void readmeExcerptIsPartOfTheGolden() throws IOException {
    Path readme = GoldenTest.goldens().resolve("../../../../../README.md").normalize();
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    String marker = "<!-- excerpt: UnrolledActivityClassifier";
    int at = text.indexOf(marker);
    assertTrue(at >= 0, "README.md has no excerpt marker");
    int start = text.indexOf("```java\n", at) + "```java\n".length();
    int end = text.indexOf("```", start);
    String excerpt = text.substring(start, end);
    String golden = Files.readString(GoldenTest.goldens().resolve("UnrolledActivityClassifier.java"),
        StandardCharsets.UTF_8);
    assertTrue(golden.contains(excerpt), "README.md's excerpt is no longer in the golden "
        + "UnrolledActivityClassifier.java; cut it again from the golden");
  }
}
