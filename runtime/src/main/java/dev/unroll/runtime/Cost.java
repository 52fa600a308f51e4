package dev.unroll.runtime;

import java.util.List;
import java.util.Locale;

/**
 * What a generated model costs: its parameters per module, the multiply-adds of its matrix products,
 * and the memory of its work buffers. Every generated class carries its own as the constant {@code COST};
 * the figures in the class Javadoc come from the same computation.
 *
 * <p>Multiply-adds count the matrix products only: per layer and direction the input product
 * G·H·I and the recurrent product G·H·H (G gate blocks: LSTM 4, GRU 3, RNN 1), and the output layer's
 * product. Bias adds, activations and the element-wise gate math (a few operations per hidden unit) are
 * not counted. The backward pass of a product {@code y = x Wᵀ} takes two products of the same size,
 * ∂L/∂x = ∂L/∂y W and ∂L/∂W = ∂L/∂yᵀ x; where no gradient flows into {@code x} (real-valued features,
 * a condition vector) only the second. Bytes are those of float32 buffers; float64 models take twice.
 *
 * @param modules                 the model's modules in PyTorch's {@code state_dict} order, a recurrent
 *                                module split per layer and direction
 * @param forwardBytesPerRowStep  bytes of the work buffers a forward (evaluation) pass sizes, per batch row
 *                                and step: the buffers that grow with the sequence; a few {@code [B, H]}
 *                                scratch rows per layer are left out
 * @param trainingBytesPerRowStep the same for a training pass (forward and backward): the forward pass's
 *                                buffers plus the gradients' ones
 * @param fixedBytesPerReplica    the most bytes of weight copies the runtime keeps per instance (each
 *                                {@code replica()} its own), whatever the batch: each recurrent weight as
 *                                W and Wᵀ for the Java step products of small batches, and for LSTM classes
 *                                the fused op's copies of the layer weights
 */
public record Cost(List<Module> modules, long forwardBytesPerRowStep, long trainingBytesPerRowStep,
    long fixedBytesPerReplica) {

  /**
   * One module: an {@code nn.Embedding}, one layer and direction of an {@code nn.LSTM/GRU/RNN}, or an
   * {@code nn.Linear}.
   *
   * @param name         PyTorch's module name, with the layer suffix of its parameters for a recurrent
   *                     layer: {@code embedding}, {@code rnn.l0}, {@code rnn.l1_reverse}, {@code fc}
   * @param type         {@code Embedding}, {@code LSTM}, {@code GRU}, {@code RNN} or {@code Linear}
   * @param outputShape  what it writes, with B the batch and T the steps: {@code [B, T, 128]}
   * @param parameters   its trainable scalars, PyTorch's {@code sum(p.numel())}
   * @param forwardMacs  multiply-adds of the forward pass, per batch row and step (or per row, below)
   * @param backwardMacs multiply-adds of the backward pass, likewise
   * @param perStep      whether it runs at every step; false for a module that runs once per row (the
   *                     output layer of a many-to-one model, a seq2seq bridge)
   */
  public record Module(String name, String type, String outputShape, long parameters, long forwardMacs,
      long backwardMacs, boolean perStep) {

    public Module {
      require(name != null && !name.isBlank(), "a module needs a name");
      require(type != null && outputShape != null, "module " + name + " needs a type and an output shape");
      require(parameters >= 0 && forwardMacs >= 0 && backwardMacs >= 0,
          "module " + name + " has a negative count: parameters " + parameters + ", forward " + forwardMacs
              + ", backward " + backwardMacs);
    }

    /** A module that runs at every step. */
    public static Module perStep(String name, String type, String outputShape, long parameters, long forwardMacs,
        long backwardMacs) {
      return new Module(name, type, outputShape, parameters, forwardMacs, backwardMacs, true);
    }

    /** A module that runs once per batch row. */
    public static Module perRow(String name, String type, String outputShape, long parameters, long forwardMacs,
        long backwardMacs) {
      return new Module(name, type, outputShape, parameters, forwardMacs, backwardMacs, false);
    }
  }

  /**
   * The totals of one pass over {@code batch} rows of {@code steps} steps.
   *
   * @param forwardMacs   multiply-adds of a forward pass
   * @param backwardMacs  multiply-adds of the backward pass (a training step takes both)
   * @param forwardBytes  work-buffer bytes of an evaluation pass
   * @param trainingBytes work-buffer bytes of a training pass
   * @param fixedBytes    bytes of weight copies kept per instance, whatever the batch
   */
  public record Totals(long forwardMacs, long backwardMacs, long forwardBytes, long trainingBytes, long fixedBytes) {

    /** Multiply-adds of one training step: forward and backward. */
    public long trainingMacs() {
      return forwardMacs + backwardMacs;
    }
  }

  public Cost {
    require(modules != null && !modules.isEmpty(), "a cost needs at least one module");
    modules = List.copyOf(modules);
    require(forwardBytesPerRowStep >= 0 && fixedBytesPerReplica >= 0,
        "byte counts must not be negative: forward " + forwardBytesPerRowStep + ", fixed " + fixedBytesPerReplica);
    require(trainingBytesPerRowStep >= forwardBytesPerRowStep, "training needs at least the forward pass's buffers: "
        + "training " + trainingBytesPerRowStep + " < forward " + forwardBytesPerRowStep + " bytes per row and step");
  }

  /** Trainable scalars of the whole model. */
  public long parameters() {
    return modules.stream().mapToLong(Module::parameters).sum();
  }

  /** Trainable scalars of one PyTorch module, {@code rnn} summing all its layers and directions. */
  public long parameters(String module) {
    List<Module> matching = modules.stream()
        .filter(m -> m.name().equals(module) || m.name().startsWith(module + ".")).toList();
    require(!matching.isEmpty(), "no module " + module + "; the modules are "
        + modules.stream().map(Module::name).toList());
    return matching.stream().mapToLong(Module::parameters).sum();
  }

  /** Multiply-adds of the forward pass per batch row and step (modules that run once per row not included). */
  public long forwardMacsPerRowStep() {
    return modules.stream().filter(Module::perStep).mapToLong(Module::forwardMacs).sum();
  }

  /** Multiply-adds of the backward pass per batch row and step (modules that run once per row not included). */
  public long backwardMacsPerRowStep() {
    return modules.stream().filter(Module::perStep).mapToLong(Module::backwardMacs).sum();
  }

  /**
   * The totals for a pass over {@code batch} rows of {@code steps} steps (for an encoder-decoder, source
   * and target both {@code steps} long).
   *
   * @throws IllegalArgumentException if {@code batch} or {@code steps} is not positive
   */
  public Totals cost(long batch, long steps) {
    require(batch > 0 && steps > 0, "batch and steps must be positive, got batch " + batch + ", steps " + steps);
    long forward = 0;
    long backward = 0;
    for (Module m : modules) {
      long times = m.perStep() ? Math.multiplyExact(batch, steps) : batch;
      forward = Math.addExact(forward, Math.multiplyExact(times, m.forwardMacs()));
      backward = Math.addExact(backward, Math.multiplyExact(times, m.backwardMacs()));
    }
    long rowSteps = Math.multiplyExact(batch, steps);
    return new Totals(forward, backward, Math.multiplyExact(rowSteps, forwardBytesPerRowStep),
        Math.multiplyExact(rowSteps, trainingBytesPerRowStep), fixedBytesPerReplica);
  }

  /**
   * A table in the manner of Keras's {@code model.summary()}: one line per module (name, type, output
   * shape, parameters), the total, and the per-row figures.
   */
  public String summary() {
    int nameWidth = Math.max("Module".length(), modules.stream().mapToInt(m -> m.name().length()).max().orElse(0));
    int shapeWidth = Math.max("Output shape".length(),
        modules.stream().mapToInt(m -> m.outputShape().length()).max().orElse(0));
    String row = "%-" + nameWidth + "s  %-9s  %-" + shapeWidth + "s  %,12d\n";
    String head = "%-" + nameWidth + "s  %-9s  %-" + shapeWidth + "s  %12s\n";
    StringBuilder s = new StringBuilder();
    String header = String.format(Locale.ROOT, head, "Module", "Type", "Output shape", "Parameters");
    String rule = "-".repeat(header.length() - 1) + "\n";
    s.append(header).append(rule);
    for (Module m : modules) {
      s.append(String.format(Locale.ROOT, row, m.name(), m.type(), m.outputShape(), m.parameters()));
    }
    s.append(rule).append(String.format(Locale.ROOT, row, "Total", "", "", parameters()));
    s.append(String.format(Locale.ROOT, "Multiply-adds per row and step: forward %,d, backward %,d\n",
        forwardMacsPerRowStep(), backwardMacsPerRowStep()));
    long perRowForward = modules.stream().filter(m -> !m.perStep()).mapToLong(Module::forwardMacs).sum();
    if (perRowForward > 0) {
      long perRowBackward = modules.stream().filter(m -> !m.perStep()).mapToLong(Module::backwardMacs).sum();
      s.append(String.format(Locale.ROOT, "Multiply-adds once per row: forward %,d, backward %,d\n",
          perRowForward, perRowBackward));
    }
    s.append(String.format(Locale.ROOT, "Work buffers per row and step: %,d bytes (evaluation), %,d (training)\n",
        forwardBytesPerRowStep, trainingBytesPerRowStep));
    s.append(String.format(Locale.ROOT, "Weight copies per replica: %,d bytes\n", fixedBytesPerReplica));
    return s.toString();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
