// Parley's comments as a React component: <ParleyComments site="news" page={url} />. It loads
// widget.js once, mounts the section into its own <div>, and on a client-side route change (a
// new `page`) unmounts it and mounts the new page's. Written without JSX so that it type-checks
// as plain TypeScript; in a .tsx file the last line reads `return <div ref={host} />`.
// Needs React 16.8 or later. Set WIDGET to your Parley's origin.
import { createElement, useEffect, useRef } from "react";

const WIDGET = "https://comments.example.com/widget.js";

/** The embed's options (widget/README.md "Embedding"): `site` and `page` are what matter most. */
export interface ParleyCommentsProps {
  site: string;
  /** The page key: its canonical URL, or an id of your own. */
  page: string;
  title?: string;
  lang?: string;
  theme?: "light" | "dark" | "auto";
  sort?: "oldest" | "newest" | "top";
}

interface Parley {
  mount(host: Element, options: ParleyCommentsProps): void;
  unmount(host: Element): void;
}

declare global {
  interface Window {
    Parley?: Parley;
  }
}

let loading: Promise<Parley> | undefined;

/** widget.js, once per app. Without data-site it mounts nothing by itself. */
function loadParley(): Promise<Parley> {
  loading ??= new Promise<Parley>((resolve, reject) => {
    if (window.Parley) return resolve(window.Parley);
    const script = document.createElement("script");
    script.src = WIDGET;
    script.async = true;
    script.onload = () =>
      window.Parley ? resolve(window.Parley) : reject(new Error("Parley: no window.Parley"));
    script.onerror = () => reject(new Error(`Parley: could not load ${WIDGET}`));
    document.head.append(script);
  }).catch((error) => {
    // The next render tries again.
    loading = undefined;
    throw error;
  });
  return loading;
}

export function ParleyComments({ site, page, title, lang, theme, sort }: ParleyCommentsProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    // False once React has moved on (another page, or the component gone) before widget.js
    // arrived: that mount must not happen.
    let current = true;
    loadParley()
      .then((parley) => {
        if (current && element) parley.mount(element, { site, page, title, lang, theme, sort });
      })
      .catch(console.error);
    return () => {
      current = false;
      if (element) window.Parley?.unmount(element);
    };
  }, [site, page, title, lang, theme, sort]);
  return createElement("div", { ref: host });
}
