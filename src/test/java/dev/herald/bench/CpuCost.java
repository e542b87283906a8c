package dev.herald.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time spent per unit of work (a delivery, a POST, an event) by the operator, the lab's
 * kube-apiserver and its etcd, between two snapshots of utime+stime from /proc: taken after the
 * operator is ready and its endpoints are Ready (start-up excluded) and after the measured window.
 * A process the bench cannot see is NaN.
 */
final class CpuCost {
  /** The target for the operator: at most 4 ms of CPU per delivery. */
  static final double OPERATOR_TARGET_MS = 4.0;

  /** Milliseconds per clock tick of /proc's utime and stime (USER_HZ = 100). */
  private static final double MS_PER_TICK = 10;

  record Snapshot(Map<String, Long> ticks) {}

  private CpuCost() {}

  static Snapshot take(long operatorPid) {
    Map<String, Long> ticks = new LinkedHashMap<>();
    ticks.put("operator", CpuShare.processTicks(operatorPid));
    ticks.put("apiserver", CpuShare.processTicks(LabProcesses.pid("apiserver")));
    ticks.put("etcd", CpuShare.processTicks(LabProcesses.pid("etcd")));
    return new Snapshot(ticks);
  }

  /** CPU ms per unit between the two snapshots, per process ("operator", "apiserver", "etcd"). */
  static Map<String, Double> msPer(Snapshot before, Snapshot after, long units) {
    Map<String, Double> ms = new LinkedHashMap<>();
    for (var e : after.ticks().entrySet()) {
      Long was = before.ticks().get(e.getKey());
      ms.put(
          e.getKey(),
          units <= 0 || e.getValue() < 0 || was == null || was < 0 || e.getValue() < was
              ? Double.NaN
              : (e.getValue() - was) * MS_PER_TICK / units);
    }
    return ms;
  }

  /** "operator 15.2 [target <= 4: FAIL], apiserver 3.1, etcd 0.9" for the report. */
  static String describe(Map<String, Double> ms) {
    if (ms == null || ms.isEmpty()) {
      return "n/a";
    }
    double op = ms.getOrDefault("operator", Double.NaN);
    return "operator "
        + Stats.fmt(op, 2)
        + " [target <= "
        + Stats.fmt(OPERATOR_TARGET_MS, 0)
        + ": "
        + Target.atMost(op, OPERATOR_TARGET_MS)
        + "], apiserver "
        + Stats.fmt(ms.getOrDefault("apiserver", Double.NaN), 2)
        + ", etcd "
        + Stats.fmt(ms.getOrDefault("etcd", Double.NaN), 2);
  }
}
