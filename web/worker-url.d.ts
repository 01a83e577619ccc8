// Vite's `?worker&url` imports (the built worker's URL) and `import.meta.env.DEV`, as the lab uses them.
declare module '*?worker&url' {
  const url: string;
  export default url;
}

interface ImportMeta {
  readonly env: { readonly DEV: boolean };
}
