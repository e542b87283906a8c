package dev.herald.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Open-loop load: a schedule of intended send times fixed before the first request, and latencies
 * measured from those times. A create that goes out late (the bench or the API server was slow)
 * still counts from when it was meant to go, so a slow system cannot hide its slowness by making
 * the load generator wait (no coordinated omission).
 */
final class Paced {
  private Paced() {}

  /**
   * Intended send times (System.nanoTime) of {@code n} requests at {@code perSecond}, the first at
   * {@code start}.
   */
  static long[] schedule(long start, double perSecond, int n) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive: " + perSecond);
    }
    long[] due = new long[n];
    for (int i = 0; i < n; i++) {
      due[i] = start + Math.round(i * 1e9 / perSecond);
    }
    return due;
  }

  /** Latencies from intended times, and how many requests never arrived before the cut-off. */
  record Latencies(List<Double> ms, int missing) {}

  /**
   * Milliseconds from each request's intended time to its arrival. A request that never arrived
   * counts as arriving at {@code cutOff} (a lower bound of its latency, so it still weighs on the
   * high percentiles) and is counted in {@link Latencies#missing}.
   */
  static Latencies fromIntended(
      List<String> names, long[] intended, Map<String, Long> arrivals, long cutOff) {
    if (names.size() != intended.length) {
      throw new IllegalArgumentException(names.size() + " names, " + intended.length + " times");
    }
    List<Double> ms = new ArrayList<>(names.size());
    int missing = 0;
    for (int i = 0; i < intended.length; i++) {
      Long arrived = arrivals.get(names.get(i));
      if (arrived == null) {
        missing++;
        arrived = cutOff;
      }
      ms.add((arrived - intended[i]) / 1e6);
    }
    return new Latencies(ms, missing);
  }
}
