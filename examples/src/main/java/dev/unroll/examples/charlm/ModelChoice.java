package dev.unroll.examples.charlm;

import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.training.Checkpoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/** The menu of generated character models that {@code --model} picks from. */
public enum ModelChoice {
  /** 1 × 128. */
  SMALL("small", UnrolledCharLmModels_Small.CONFIG, UnrolledCharLmModels_Small::new),
  /** 2 × 256, dropout 0.2. */
  MEDIUM("medium", UnrolledCharLmModels_Medium.CONFIG, UnrolledCharLmModels_Medium::new),
  /** 3 × 512, dropout 0.2. */
  LARGE("large", UnrolledCharLmModels_Large.CONFIG, UnrolledCharLmModels_Large::new),
  /** 2 × 256 without dropout (the PyTorch reference shapes of {@code curve}). */
  MEDIUM_PLAIN(
      "medium-plain", UnrolledCharLmModels_MediumPlain.CONFIG, UnrolledCharLmModels_MediumPlain::new),
  /** 2 × 256, dropout 0.5: {@code char-lm train}'s default, and {@code curve --dropout 0.5}. */
  MEDIUM_DROPOUT_HALF("medium-dropout-0.5", UnrolledCharLmModels_MediumDropoutHalf.CONFIG,
      UnrolledCharLmModels_MediumDropoutHalf::new);

  private final String label;
  private final ModelConfig config;
  private final LongFunction<StatefulModel<?>> factory;

  ModelChoice(String label, ModelConfig config, LongFunction<StatefulModel<?>> factory) {
    this.label = label;
    this.config = config;
    this.factory = factory;
  }

  /** The name on the command line. */
  public String label() {
    return label;
  }

  /** The generated class's configuration. */
  public ModelConfig config() {
    return config;
  }

  /** A freshly initialised float32 model. */
  public StatefulModel<?> create(long seed) {
    return factory.apply(seed);
  }

  /** "2 × 256 LSTM, embedding 64, dropout 0.2". */
  public String describe() {
    return String.format(Locale.ROOT, "%d × %d LSTM, embedding %d%s (%s)", config.layers(),
        config.hidden(), config.embeddingDim(),
        config.dropout() > 0 ? ", dropout " + config.dropout() : "", label);
  }

  /**
   * The choice named {@code text} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the choices
   */
  public static ModelChoice parse(String text) {
    for (ModelChoice c : values()) {
      if (c.label.equalsIgnoreCase(text.trim())) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '" + text + "'; choose one of " + labels());
  }

  /** The choice whose generated class was compiled for {@code config} (as a checkpoint stores it). */
  public static ModelChoice forConfig(ModelConfig config) {
    for (ModelChoice c : values()) {
      if (c.config.model().equals(config.model()) && c.config.differences(config).isEmpty()) {
        return c;
      }
    }
    for (ModelChoice c : values()) {
      if (c.config.differences(config).isEmpty()) {
        return c;
      }
    }
    throw new IllegalArgumentException(String.format(Locale.ROOT,
        "its model %s (%s, %d × %d, vocabulary %d, %d outputs) is none of char-lm's models (%s)",
        config.model(), config.cell(), config.layers(), config.hidden(), config.vocab(), config.output(),
        labels()));
  }

  /**
   * The choice whose generated class wrote the checkpoint {@code file}, read as {@code contents}.
   *
   * @throws IllegalArgumentException naming the file, when none of char-lm's models has its configuration
   */
  public static ModelChoice forCheckpoint(Path file, Checkpoint.Contents contents) {
    try {
      return forConfig(contents.config());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("checkpoint " + file + " was not written by char-lm: " + e.getMessage(), e);
    }
  }

  /** "small, medium, large, medium-plain, medium-dropout-0.5". */
  public static String labels() {
    return Arrays.stream(values()).map(ModelChoice::label).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return label;
  }
}
