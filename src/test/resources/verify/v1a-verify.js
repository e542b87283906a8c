// Verifies Standard Webhooks v1a (ed25519) signatures with Node's own crypto (an implementation
// Herald did not write). stdin: {"publicKeys": ["whpk_..."], "requests": [{"id", "timestamp",
// "body" (base64 of the exact bytes), "signature" (the webhook-signature header)}]}.
// stdout: for each request, for each public key, whether some v1a entry verifies with it.
'use strict';
const crypto = require('crypto');

let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const { publicKeys, requests } = JSON.parse(input);
  const keys = publicKeys.map((pk) => {
    if (!pk.startsWith('whpk_')) throw new Error('not a whpk_ key');
    const raw = Buffer.from(pk.slice('whpk_'.length), 'base64');
    if (raw.length !== 32) throw new Error('an ed25519 public key is 32 bytes');
    return crypto.createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
  });
  const answers = requests.map((r) => {
    const signed = Buffer.concat([
      Buffer.from(`${r.id}.${r.timestamp}.`, 'utf8'),
      Buffer.from(r.body, 'base64'),
    ]);
    const signatures = r.signature
      .split(' ')
      .filter((entry) => entry.startsWith('v1a,'))
      .map((entry) => Buffer.from(entry.slice('v1a,'.length), 'base64'));
    return keys.map((key) => signatures.some((sig) => crypto.verify(null, signed, key, sig)));
  });
  process.stdout.write(JSON.stringify(answers));
});
