import type { Transform } from 'node:stream';

export declare function createGunzipInJs(): Transform;
export declare function useGunzipInJs(): void;
