package dev.herald.testing;

import dev.herald.egress.IpLiteral;
import dev.herald.egress.Resolver;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Answers every name from a script, one answer per call (the last repeats), and records calls. */
public final class ScriptedResolver implements Resolver {
  public final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<List<String>> answers = new ArrayList<>();

  @SafeVarargs
  public ScriptedResolver(List<String>... answers) {
    for (List<String> answer : answers) {
      this.answers.add(answer);
    }
  }

  @Override
  public Future<List<InetAddress>> resolve(String host) {
    calls.add(host);
    if (answers.isEmpty()) {
      return Future.failedFuture(new AssertionError("no lookup expected, got one for " + host));
    }
    List<String> answer = answers.get(Math.min(calls.size(), answers.size()) - 1);
    return Future.succeededFuture(answer.stream().map(IpLiteral::parse).toList());
  }
}
