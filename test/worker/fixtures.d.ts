// Fixture files imported as text by Vite (`?raw`), so tests in workerd need no file system.
declare module "*?raw" {
  const text: string;
  export default text;
}
