/**
 * How a stored value becomes the text a store keeps and back: plain JSON, or sealed JSON
 * (encryption.ts). Its own module so the store and the encryption both depend on it, not on each other.
 */
export interface Codec {
  encode(json: string): string;
  decode(stored: string): string;
}
