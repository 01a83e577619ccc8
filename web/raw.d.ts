// Vite's `?raw` imports: the file's text (the starter notebook).
declare module '*?raw' {
  const text: string;
  export default text;
}

// Vite's `?url` imports: the URL the built site serves the file at (the lecture notebooks).
declare module '*?url' {
  const url: string;
  export default url;
}
