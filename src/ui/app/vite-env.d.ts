/** Vite's `?url` imports: the built file's URL under /assets (used for pdf.js's worker). */
declare module '*?url' {
  const url: string;
  export default url;
}

/** Stylesheets imported by a module: vite bundles them into the page's CSS under /assets. */
declare module '*.css';
