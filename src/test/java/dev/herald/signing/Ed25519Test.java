package dev.herald.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The raw-key conversions against RFC 8032's own test vectors (section 7.1). */
class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void rfc8032TestOneDerivesItsPublicKeyAndSignature() {
    assertVector(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  }

  @Test
  void rfc8032TestTwoSignsAOneByteMessageFedInPieces() {
    // fed in pieces, as the signer feeds id, dots, timestamp and body
    assertVector(
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        new byte[0],
        new byte[] {0x72});
  }

  private static void assertVector(
      String seed, String publicKey, String signature, byte[]... message) {
    Ed25519.Pair pair = Ed25519.fromSeed(HEX.parseHex(seed));
    assertThat(HEX.formatHex(pair.rawPublicKey())).isEqualTo(publicKey);
    assertThat(HEX.formatHex(Ed25519.sign(pair.privateKey(), message))).isEqualTo(signature);
  }

  @Test
  void theSameSeedGivesTheSameKeysAndFreshSeedsDiffer() {
    byte[] seed = Ed25519.newSeed();
    assertThat(Ed25519.fromSeed(seed).rawPublicKey())
        .isEqualTo(Ed25519.fromSeed(seed).rawPublicKey());
    assertThat(Ed25519.newSeed()).isNotEqualTo(seed);
  }
}
