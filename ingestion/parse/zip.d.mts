export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  encrypted: boolean;
}

export declare class ZipError extends Error {
  readonly code: 'ZIP_CORRUPT' | 'ZIP_TOO_LARGE' | 'ZIP_ENCRYPTED';
  constructor(code: ZipError['code'], message: string);
}

export declare function listZipEntries(bytes: Uint8Array): ZipEntry[];
export declare function inflateEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Uint8Array;
export declare function inflateRawLimited(raw: Uint8Array, maxBytes: number, name: string): Uint8Array;
export declare function openGuardedZip(bytes: Uint8Array, limits: { maxEntries: number; maxBytes: number }): Map<string, Uint8Array>;
