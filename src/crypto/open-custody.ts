// The key hierarchy of a starting server process: a keyring over the store and the custody of its
// root key (crypto/custody.ts).
import type { Store } from "../store/store.js";
import { KeyCustody } from "./custody.js";
import { Keyring } from "./keyring.js";

export async function openKeyCustody(store: Store, dataDir: string): Promise<{ keyring: Keyring; custody: KeyCustody }> {
  const keyring = new Keyring(store);
  const custody = await KeyCustody.open(store, keyring, dataDir);
  return { keyring, custody };
}
