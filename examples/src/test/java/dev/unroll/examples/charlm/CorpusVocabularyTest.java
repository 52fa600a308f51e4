package dev.unroll.examples.charlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.training.data.Vocabulary;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which vocabulary a text gets, and what a text the models cannot read as characters gets. */
class CorpusVocabularyTest {

  @Test
  void tinyShakespeareIsItsSixtyFiveCharacters() {
    Corpus c = Corpus.tinyShakespeare(VocabularyChoice.AUTO);
    assertEquals(65, c.vocabulary().size());
    assertEquals(1_115_394, c.tokens().length);
    assertEquals(111_539, c.split().validation().length); // round(10%), as PyTorch's script splits
    assertEquals("the text's 65 characters", c.why());
    assertEquals("First Citizen", c.vocabulary().decode(java.util.Arrays.copyOf(c.tokens(), 13)));
    Corpus bytes = Corpus.tinyShakespeare(VocabularyChoice.BYTES);
    assertTrue(bytes.vocabulary().byteLevel());
    assertEquals('F', bytes.tokens()[0]);
  }

  @Test
  void aUtf8TextIsItsCodePoints() {
    Corpus c = Corpus.of("t", "caf\u00e9 caf\u00e9".getBytes(StandardCharsets.UTF_8), VocabularyChoice.CHARACTERS);
    assertEquals(Vocabulary.of("caf\u00e9 "), c.vocabulary());
    assertEquals(9, c.tokens().length); // é is one symbol, not two bytes
  }

  @Test
  void moreThan256CharactersFallBackToBytesOrAreRefused() {
    StringBuilder sb = new StringBuilder();
    for (int cp = 0x100; cp < 0x100 + 300; cp++) {
      sb.appendCodePoint(cp);
    }
    byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
    Corpus auto = Corpus.of("wide", text, VocabularyChoice.AUTO);
    assertTrue(auto.vocabulary().byteLevel());
    assertEquals(text.length, auto.tokens().length);
    assertEquals("256 byte values: it has 300 distinct characters, more than the models' 256 output classes",
        auto.why());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Corpus.of("wide", text, VocabularyChoice.CHARACTERS));
    assertEquals("--vocabulary characters: wide cannot be read as characters: it has 300 distinct"
        + " characters, more than the models' 256 output classes; use --vocabulary bytes (one token per byte)",
        e.getMessage());
  }

  @Test
  void aBinaryFileIsBytes() {
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3};
    Corpus c = Corpus.of("bin", binary, VocabularyChoice.AUTO);
    assertTrue(c.vocabulary().byteLevel());
    assertArrayEquals(new int[] {255, 254, 0, 1, 2, 195}, c.tokens());
    assertEquals("256 byte values: it is not UTF-8 text", c.why());
  }

  @Test
  void aCheckpointsVocabularyMustCoverTheText() {
    Vocabulary v = Vocabulary.of("ab");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Corpus.resolve(Corpus.BUILT_IN, v));
    assertTrue(e.getMessage().startsWith("tiny Shakespeare (built in) has characters the checkpoint's"
        + " vocabulary of 2 lacks: U+0046 'F', U+0069 'i', U+0072 'r'"), e.getMessage());
    assertTrue(e.getMessage().endsWith(" more; resume with the text it was trained on"), e.getMessage());
  }
}
