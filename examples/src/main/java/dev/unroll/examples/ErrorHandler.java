package dev.unroll.examples;

import dev.unroll.training.NonFiniteException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one handler of every command's mistakes and failures: the tool answers in one or two lines on
 * standard error, without a stack trace unless {@code --debug} is given, and exits with picocli's codes.
 *
 * <ul>
 *   <li>A usage error (an unknown option, a bad value, a file an option names that is not there, a
 *       {@code --resume} that does not fit): the command and the problem, then a suggestion or where the
 *       options are; exit code 2.
 *   <li>A failure while running (an empty text, a corrupt or foreign checkpoint, out of memory): the
 *       command and the problem, which names the file and what is wrong with it; exit code 1. A failure
 *       of an unforeseen kind (a bug) adds a second line asking for {@code --debug}.
 * </ul>
 *
 * <p>Picocli hands exceptions to these handlers; {@link #execute} also hands it the JVM's errors
 * (out of memory, a native library that does not link), which picocli lets through.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {

  /** The option that adds the stack trace (inherited by every command). */
  static final String DEBUG = "--debug";

  /** Runs the innermost command as picocli does, reporting an {@link Error} as a failure. */
  int execute(ParseResult parseResult) {
    try {
      return new RunLast().execute(parseResult);
    } catch (Error e) {
      List<CommandLine> commands = parseResult.asCommandLineList();
      throw new ExecutionException(commands.get(commands.size() - 1), e.toString(), e);
    }
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(name(cmd) + ": " + oneLine(ex.getMessage()));
    if (Arrays.asList(args).contains(DEBUG)) {
      ex.printStackTrace(err);
    }
    if (!UnmatchedArgumentException.printSuggestions(ex, err)) {
      err.println("See '" + name(cmd) + " --help' for the options.");
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    Throwable problem = ex instanceof ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
    PrintWriter err = cmd.getErr();
    err.println(name(cmd) + ": " + describe(problem));
    if (debug(parseResult)) {
      problem.printStackTrace(err);
    } else if (!foreseen(problem)) {
      err.println("This looks like a bug in the tool: run the command again with " + DEBUG
          + " for the stack trace.");
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnExecutionException();
  }

  /** "char-lm train": the command as the user typed it after the jar. */
  static String name(CommandLine cmd) {
    if (cmd.getParent() == null) {
      return cmd.getCommandName();
    }
    List<String> names = new ArrayList<>();
    for (CommandLine c = cmd; c.getParent() != null; c = c.getParent()) {
      names.add(0, c.getCommandName());
    }
    return String.join(" ", names);
  }

  /** Whether {@code --debug} was given to any command on the line. */
  private static boolean debug(ParseResult r) {
    for (ParseResult p = r; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
      if (p.hasMatchedOption(DEBUG)) {
        return true;
      }
    }
    return false;
  }

  /** Failures whose message says what is wrong: bad input or resources, not a bug. */
  private static boolean foreseen(Throwable t) {
    return t instanceof IOException || t instanceof UncheckedIOException
        || t instanceof IllegalArgumentException || t instanceof IllegalStateException
        || t instanceof OutOfMemoryError || t instanceof NonFiniteException;
  }

  /** One line saying what went wrong. */
  static String describe(Throwable t) {
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      return describe(t.getCause());
    }
    if (t instanceof NoSuchFileException e) {
      return e.getReason() != null ? oneLine(e.getMessage()) : "no such file: " + e.getFile();
    }
    if (t instanceof AccessDeniedException e) {
      return "permission denied: " + e.getFile();
    }
    if (t instanceof NotDirectoryException e) {
      return "not a directory: " + e.getFile();
    }
    if (t instanceof FileAlreadyExistsException e) {
      return e.getFile() + " exists and is not a directory";
    }
    if (t instanceof OutOfMemoryError) {
      return "out of memory (" + t.getMessage() + "): give Java more with -Xmx, or use a smaller model"
          + " or batch";
    }
    if (t instanceof NonFiniteException) {
      return "training diverged: " + oneLine(t.getMessage())
          + " (a lower learning rate or gradient clipping usually helps)";
    }
    if (foreseen(t) && t.getMessage() != null) {
      return oneLine(t.getMessage());
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return oneLine(t.toString()) + (root == t ? "" : " (caused by " + oneLine(root.toString()) + ")");
  }

  /** The message on one line. */
  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
