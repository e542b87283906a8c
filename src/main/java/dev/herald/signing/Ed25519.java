package dev.herald.signing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * The JDK's Ed25519 (RFC 8032), between the raw 32-byte keys Standard Webhooks serializes and the
 * JDK's key objects. A key pair is always made from its 32-byte seed (the RFC's "private key"), so
 * that a parsed key and a generated one take the same path and the public key is the JDK's own
 * derivation, never computed here.
 */
final class Ed25519 {
  static final int SEED_BYTES = 32;
  static final int PUBLIC_BYTES = 32;
  static final int SIGNATURE_BYTES = 64;

  /** The X.509 SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410): raw key follows. */
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ed25519() {}

  /** A key pair and its public key in the raw form receivers are given. */
  record Pair(PrivateKey privateKey, byte[] rawPublicKey) {}

  static byte[] newSeed() {
    byte[] seed = new byte[SEED_BYTES];
    RANDOM.nextBytes(seed);
    return seed;
  }

  /**
   * The key pair of a seed. The JDK offers no "public key of this private key"; its key-pair
   * generator draws exactly the seed from the random source it is given and derives the rest, so it
   * is handed a source that yields this seed and nothing else.
   */
  static Pair fromSeed(byte[] seed) {
    if (seed.length != SEED_BYTES) {
      throw new IllegalArgumentException("an ed25519 seed is " + SEED_BYTES + " bytes");
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new SeedSource(seed));
      KeyPair pair = generator.generateKeyPair();
      return new Pair(pair.getPrivate(), raw(pair.getPublic()));
    } catch (GeneralSecurityException e) {
      // Ed25519 is in every JDK since 15, so this is a broken JVM, not bad input.
      throw new IllegalStateException("Ed25519 is not available", e);
    }
  }

  /** The RFC 8032 signature of the concatenated parts. */
  static byte[] sign(PrivateKey key, byte[]... parts) {
    try {
      // Signature objects are stateful and not thread-safe: one per call.
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      for (byte[] part : parts) {
        signature.update(part);
      }
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  private static byte[] raw(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded.length != X509_PREFIX.length + PUBLIC_BYTES
        || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalStateException("unexpected Ed25519 public key encoding");
    }
    return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
  }

  /** Yields one seed, once; anything else means the JDK changed how it draws and is refused. */
  private static final class SeedSource extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private transient byte[] seed;

    SeedSource(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (seed == null || bytes.length != seed.length) {
        throw new IllegalStateException("the Ed25519 key-pair generator asked for other bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
      Arrays.fill(seed, (byte) 0);
      seed = null;
    }
  }
}
