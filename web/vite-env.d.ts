// What the lab uses of Vite's client types: `?worker&url` imports (the built worker's URL), CSS imported for
// its side effect, and `import.meta.env.DEV`.
declare module '*?worker&url' {
  const url: string;
  export default url;
}

declare module '*.css';

interface ImportMeta {
  readonly env: { readonly DEV: boolean };
}
