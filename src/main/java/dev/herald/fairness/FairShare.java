package dev.herald.fairness;

/**
 * How many of a pool's {@code slots} (threads, open requests) one tenant may hold at once. Round
 * robin alone only orders the line: once a tenant with a thousand items holds every slot, another
 * tenant's next item still waits for one of them to finish, however fair the line behind it is. So
 * a tenant holds at most an equal part of the slots among the tenants that are busy (running or
 * waiting), and a reserve of slots is never taken by a tenant already holding its part, so that a
 * tenant that was idle finds a free slot at once instead of waiting for another tenant's slot to
 * come back.
 *
 * <p>Alone, a tenant may hold every slot but the reserve; a slot is never left idle while a tenant
 * under its part waits for it.
 */
public record FairShare(int slots, int reserve) {
  public FairShare {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, got " + slots);
    }
    if (reserve < 0 || reserve >= slots) {
      throw new IllegalArgumentException(
          "the reserve must be from 0 to " + (slots - 1) + ", got " + reserve);
    }
  }

  /** A tenth of the slots in reserve (none for a single slot, at least one otherwise). */
  public static FairShare of(int slots) {
    return new FairShare(slots, slots < 2 ? 0 : Math.max(1, slots / 10));
  }

  /**
   * The most slots one tenant may hold while {@code busyTenants} tenants (itself included) run or
   * wait: an equal part of the slots outside the reserve, at least one.
   */
  public int cap(int busyTenants) {
    int shared = slots - reserve;
    int busy = Math.max(1, busyTenants);
    return Math.max(1, (shared + busy - 1) / busy);
  }

  /**
   * Whether a tenant holding {@code held} slots may take one more while {@code busyTenants} tenants
   * (itself included) run or wait.
   */
  public boolean mayTake(int held, int busyTenants) {
    return held < cap(busyTenants);
  }
}
