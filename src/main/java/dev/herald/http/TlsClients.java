package dev.herald.http;

import io.vertx.core.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One HTTP client per distinct {@link TlsMaterial}, since Vert.x fixes key and trust material per
 * client. Bounded: past {@link #MAX_CLIENTS} the least recently used one is dropped, and one unused
 * for {@link #IDLE} is dropped too (a Secret edit leaves its old material unused). A dropped client
 * is closed once no attempt holds it any more, so no attempt in flight loses its connection.
 */
final class TlsClients implements AutoCloseable {
  static final int MAX_CLIENTS = 64;
  static final Duration IDLE = Duration.ofMinutes(10);

  private final Function<TlsMaterial, HttpClient> factory;
  private final int maxClients;
  private final long idleNanos;

  /** Access order: the first entry is the least recently used. */
  private final LinkedHashMap<String, Entry> clients = new LinkedHashMap<>(16, 0.75f, true);

  TlsClients(Function<TlsMaterial, HttpClient> factory) {
    this(factory, MAX_CLIENTS, IDLE);
  }

  TlsClients(Function<TlsMaterial, HttpClient> factory, int maxClients, Duration idle) {
    this.factory = factory;
    this.maxClients = maxClients;
    this.idleNanos = idle.toNanos();
  }

  /** The use of one client by one attempt; {@link #release} exactly once. */
  interface Lease {
    HttpClient client();

    void release();
  }

  private final class Entry implements Lease {
    final HttpClient client;
    int leases;
    long lastUsedNanos = System.nanoTime();
    boolean dropped;

    Entry(HttpClient client) {
      this.client = client;
    }

    @Override
    public HttpClient client() {
      return client;
    }

    @Override
    public void release() {
      boolean close;
      synchronized (TlsClients.this) {
        leases--;
        lastUsedNanos = System.nanoTime();
        close = dropped && leases == 0;
      }
      if (close) {
        client.close();
      }
    }
  }

  Lease lease(TlsMaterial material) {
    List<HttpClient> toClose = new ArrayList<>();
    Entry entry;
    synchronized (this) {
      long now = System.nanoTime();
      entry = clients.get(material.id());
      if (entry == null) {
        entry = new Entry(factory.apply(material));
        clients.put(material.id(), entry);
      }
      entry.leases++;
      entry.lastUsedNanos = now;
      Iterator<Map.Entry<String, Entry>> it = clients.entrySet().iterator();
      while (it.hasNext()) {
        Entry e = it.next().getValue();
        boolean over = clients.size() > maxClients;
        if (e != entry && (over || now - e.lastUsedNanos > idleNanos)) {
          it.remove();
          e.dropped = true;
          if (e.leases == 0) {
            toClose.add(e.client);
          }
        } else if (!over) {
          break; // the rest were used more recently
        }
      }
    }
    toClose.forEach(HttpClient::close);
    return entry;
  }

  synchronized int size() {
    return clients.size();
  }

  @Override
  public void close() {
    List<HttpClient> all;
    synchronized (this) {
      all = clients.values().stream().map(e -> e.client).toList();
      clients.clear();
    }
    all.forEach(HttpClient::close);
  }
}
