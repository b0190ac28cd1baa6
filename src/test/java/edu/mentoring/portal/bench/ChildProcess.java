package edu.mentoring.portal.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A server this harness started (a portal node, a peer), its output in a log file under {@code target/bench/logs/}.
 * Every one still running is stopped when the harness exits, Ctrl-C included: nothing is left behind on a shared box.
 */
final class ChildProcess implements AutoCloseable {
  private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final Pattern PROBLEM = Pattern.compile("\\bERROR\\b|Exception|\\bSEVERE\\b|Error:");

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildProcess::close), "bench-cleanup"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final List<String> command;

  private ChildProcess(String name, Process process, Path log, List<String> command) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.command = command;
  }

  static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path logDir)
    throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
      + "-" + ProcessHandle.current().pid() + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (workDir != null) pb.directory(workDir.toFile());
    pb.environment().putAll(env);
    ChildProcess p = new ChildProcess(name, pb.start(), log, List.copyOf(command));
    LIVE.add(p);
    return p;
  }

  /** Runs a command to its end (a build step), its output in the log directory; fails unless it exits 0. */
  static void runToEnd(String name, List<String> command, Path workDir, Path logDir, long timeoutSeconds)
    throws IOException, InterruptedException {
    try (ChildProcess p = start(name, command, Map.of(), workDir, logDir)) {
      if (!p.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s; see " + p.log);
      }
      if (p.process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed (exit " + p.process.exitValue() + "); see " + p.log);
      }
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  List<String> command() {
    return command;
  }

  /** Lines of the log that report a problem (errors, exceptions), at most {@code max}, and how many there were. */
  Problems problems(int max) {
    List<String> found = new ArrayList<>();
    int count = 0;
    try {
      for (String line : Files.readAllLines(log)) {
        if (PROBLEM.matcher(line).find()) {
          count++;
          if (found.size() < max) found.add(line.length() > 300 ? line.substring(0, 300) + "…" : line);
        }
      }
    } catch (IOException e) {
      found.add("log unreadable: " + e.getMessage());
    }
    return new Problems(count, found);
  }

  record Problems(int count, List<String> examples) {
  }

  /** SIGTERM (the node's orderly shutdown), then SIGKILL after 15 s; children of the process too. */
  @Override
  public void close() {
    LIVE.remove(this);
    if (!process.isAlive()) return;
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  static String javaBinary() {
    return new File(System.getProperty("java.home"), "bin/java").getPath();
  }
}
