package edu.mentoring.portal.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel and the JVM tell about a process from outside: CPU per process and per thread from /proc (clock
 * ticks of 10 ms), resident memory, and a JVM's live heap from a class histogram.
 */
final class ProcessProbe {
  static final double MS_PER_TICK = 10.0;
  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");

  private ProcessProbe() {
  }

  /** user and system ticks of the whole process. */
  static long[] cpuTicks(long pid) {
    String stat = read(Path.of("/proc/" + pid + "/stat"));
    if (stat == null) return new long[] {0, 0};
    String[] f = fields(stat);
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  static long totalTicks(long pid) {
    long[] t = cpuTicks(pid);
    return t[0] + t[1];
  }

  /** Ticks (user + system) per thread, keyed by "pid tid name"; threads that end meanwhile are left out. */
  static Map<String, Long> threadTicks(long... pids) {
    Map<String, Long> ticks = new HashMap<>();
    for (long pid : pids) {
      try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          String stat = read(task.resolve("stat"));
          if (stat == null) continue;
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = fields(stat);
          ticks.put(pid + " " + task.getFileName() + " " + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
        }
      } catch (IOException gone) {
        // the process ended
      }
    }
    return ticks;
  }

  /** The JIT compilers' share of all the CPU the threads spent between two snapshots. */
  static double jitShare(Map<String, Long> before, Map<String, Long> after) {
    long jit = 0;
    long total = 0;
    for (Map.Entry<String, Long> t : after.entrySet()) {
      long spent = t.getValue() - before.getOrDefault(t.getKey(), 0L);
      total += spent;
      if (t.getKey().contains(" C1 Compiler") || t.getKey().contains(" C2 Compiler")) jit += spent;
    }
    return jit / (double) Math.max(1, total);
  }

  /** The threads that spent the most between two snapshots, by name without its number: ms per {@code per}. */
  static Map<String, Double> busiestThreads(Map<String, Long> before, Map<String, Long> after, long pid, int per,
                                            int limit) {
    Map<String, Long> byName = new TreeMap<>();
    after.forEach((k, v) -> {
      if (!k.startsWith(pid + " ")) return;
      String name = k.substring(k.indexOf(' ', k.indexOf(' ') + 1) + 1).replaceAll("[-#]?\\d+$", "");
      byName.merge(name, v - before.getOrDefault(k, 0L), Long::sum);
    });
    Map<String, Double> top = new LinkedHashMap<>();
    byName.entrySet().stream().filter(e -> e.getValue() > 0)
      .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
      .forEach(e -> top.put(e.getKey(), Samples.round(e.getValue() * MS_PER_TICK / Math.max(1, per))));
    return top;
  }

  /**
   * CPU ticks of every PostgreSQL backend serving {@code database} (their process title names it), by pid: the
   * database's share of the work, which no JVM counter shows.
   */
  static Map<Long, Long> backendTicks(String database) {
    Map<Long, Long> ticks = new HashMap<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) continue;
        String cmd = read(p.resolve("cmdline"));
        if (cmd == null || !cmd.startsWith("postgres: ") || !cmd.contains(" " + database + " ")) continue;
        long pid = Long.parseLong(name);
        ticks.put(pid, totalTicks(pid));
      }
    } catch (IOException e) {
      // no /proc: no figure
    }
    return ticks;
  }

  /** Resident set size in bytes (VmRSS), 0 if unknown. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    } catch (IOException e) {
      // gone
    }
    return 0;
  }

  /**
   * Live heap of a JVM: the total of a class histogram, which jcmd takes after a full GC. Exact bytes of live
   * objects, unlike the heap's "used", which counts G1 regions and moves with the heap's size. The histogram goes
   * to {@code saveTo} if given: where the memory goes.
   */
  static long liveHeap(long pid, Path saveTo) throws IOException, InterruptedException {
    String jcmd = new File(System.getProperty("java.home"), "bin/jcmd").getPath();
    Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    if (saveTo != null) {
      Files.createDirectories(saveTo.getParent());
      Files.writeString(saveTo, out);
    }
    Matcher m = HISTOGRAM_TOTAL.matcher(out);
    if (!m.find()) throw new IOException("cannot read the heap of " + pid + ": " + out.lines().limit(5).toList());
    return Long.parseLong(m.group(1));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return null;
    }
  }

  /** The fields after the command name of a /proc stat line (index 11 = utime, 12 = stime). */
  private static String[] fields(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }
}
