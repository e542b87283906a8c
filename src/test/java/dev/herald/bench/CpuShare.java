package dev.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the processes a measure involves (the operator, the kube-apiserver and etcd of the
 * lab, the bench itself) and of the whole machine, from /proc: where the cores went while a measure
 * ran. The lab's processes are found by {@link LabProcesses}.
 */
final class CpuShare {
  /** Clock ticks a second of /proc's utime and stime (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100;

  /** The CPU ticks of each process and of the machine ("machine": every core's busy ticks). */
  record Snapshot(long nanos, Map<String, Long> ticks) {
    /**
     * Cores used by each between {@code before} and this; "others" = the machine minus the ones
     * named.
     */
    Map<String, Double> coresSince(Snapshot before) {
      double seconds = (nanos - before.nanos) / 1e9;
      Map<String, Double> cores = new LinkedHashMap<>();
      double named = 0;
      for (var e : ticks.entrySet()) {
        Long was = before.ticks.get(e.getKey());
        double used =
            e.getValue() < 0 || was == null || was < 0
                ? Double.NaN
                : (e.getValue() - was) / TICKS / seconds;
        cores.put(e.getKey(), used);
        if (!e.getKey().equals("machine") && !Double.isNaN(used)) {
          named += used;
        }
      }
      cores.put("others", cores.getOrDefault("machine", Double.NaN) - named);
      return cores;
    }
  }

  private CpuShare() {}

  static Snapshot take(long operatorPid) {
    Map<String, Long> ticks = new LinkedHashMap<>();
    ticks.put("operator", processTicks(operatorPid));
    ticks.put("apiserver", processTicks(LabProcesses.pid("apiserver")));
    ticks.put("etcd", processTicks(LabProcesses.pid("etcd")));
    ticks.put("bench", processTicks(ProcessHandle.current().pid()));
    ticks.put("machine", machineTicks());
    return new Snapshot(System.nanoTime(), ticks);
  }

  /** utime + stime of a process, in ticks; -1 when unknown. */
  static long processTicks(long pid) {
    if (pid < 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Busy ticks of every core (user, nice, system, irq, softirq, steal) from /proc/stat. */
  static long machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
