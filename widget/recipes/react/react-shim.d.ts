// The few declarations of React that parley-comments.ts uses, so that CI type-checks the recipe
// (`npm run typecheck`) without installing React. Not part of the recipe: an app has React's
// own types.
declare module "react" {
  export interface RefObject<T> {
    readonly current: T | null;
  }
  export function useRef<T>(initialValue: T | null): RefObject<T>;
  export function useEffect(
    effect: () => undefined | (() => void),
    deps?: readonly unknown[],
  ): void;
  export function createElement(
    type: string,
    props?: Record<string, unknown> | null,
    ...children: unknown[]
  ): unknown;
}
