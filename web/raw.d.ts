// Vite's `?raw` imports: the file's text (the starter notebook).
declare module '*?raw' {
  const text: string;
  export default text;
}
