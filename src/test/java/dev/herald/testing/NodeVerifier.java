package dev.herald.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Verifies {@code v1a} (ed25519) signatures with Node's built-in {@code crypto.verify}, so that
 * what Herald signs is checked by an implementation it did not write (the JDK is Herald's own). The
 * script is {@code verify/v1a-verify.js}; hack/lib.sh installs Node where the end-to-end suite
 * runs.
 */
public final class NodeVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NodeVerifier() {}

  /** One signed request as the receiver saw it. */
  public record Signed(String id, String timestamp, byte[] body, String signature) {
    public static Signed of(TestReceiver.Received r) {
      return new Signed(
          r.header("webhook-id"),
          r.header("webhook-timestamp"),
          r.body().getBytes(),
          r.header("webhook-signature"));
    }
  }

  /** A key pair Node made: {@code whsk_} (base64 of seed and public key) and {@code whpk_}. */
  public record KeyPair(String secretKey, String publicKey) {}

  /**
   * A fresh ed25519 key pair from Node's {@code crypto.generateKeyPairSync}, as a user makes one.
   */
  public static KeyPair generateKeyPair() {
    String script =
        "const c=require('crypto');const {privateKey}=c.generateKeyPairSync('ed25519');"
            + "const j=privateKey.export({format:'jwk'});"
            + "const d=Buffer.from(j.d,'base64url'),x=Buffer.from(j.x,'base64url');"
            + "process.stdout.write('whsk_'+Buffer.concat([d,x]).toString('base64')"
            + "+' whpk_'+x.toString('base64'));";
    try {
      Process p = new ProcessBuilder("node", "-e", script).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("node failed: " + out);
      }
      String[] parts = out.trim().split(" ");
      return new KeyPair(parts[0], parts[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static boolean available() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * For each request, for each of {@code publicKeys} ({@code whpk_...}), whether one of its {@code
   * v1a,} entries verifies with that key.
   */
  public static List<List<Boolean>> verify(List<String> publicKeys, List<Signed> requests) {
    List<Map<String, String>> reqs = new ArrayList<>();
    for (Signed s : requests) {
      reqs.add(
          Map.of(
              "id", s.id(),
              "timestamp", s.timestamp(),
              "body", Base64.getEncoder().encodeToString(s.body()),
              "signature", s.signature()));
    }
    try {
      Path script = Files.createTempFile("v1a-verify", ".js");
      try (InputStream in = NodeVerifier.class.getResourceAsStream("/verify/v1a-verify.js")) {
        Files.write(script, in.readAllBytes());
      }
      try {
        Process p = new ProcessBuilder("node", script.toString()).start();
        p.getOutputStream()
            .write(JSON.writeValueAsBytes(Map.of("publicKeys", publicKeys, "requests", reqs)));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException("node failed: " + err);
        }
        return JSON.readValue(
            out,
            JSON.getTypeFactory()
                .constructCollectionType(
                    List.class,
                    JSON.getTypeFactory().constructCollectionType(List.class, Boolean.class)));
      } finally {
        Files.deleteIfExists(script);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
