/** Where the bundle goes unless told otherwise (git-ignored). */
export declare const BUNDLE_FILE: string;

/** Bundles the web app (src/main.ts and @simplewebauthn/browser) into one ES module for browsers. */
export declare function buildWebApp(options?: { outfile?: string; minify?: boolean }): Promise<{ outfile: string }>;
