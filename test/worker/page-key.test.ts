import { describe, expect, it } from "vitest";
import { pageKey } from "../../src/services/comments/page-key";

// Each group: every spelling must produce exactly `key`.
const sameThread: { name: string; key: string; spellings: string[] }[] = [
  {
    name: "casing, ports, slashes, fragments",
    key: "https://news.example/2023/11/Article",
    spellings: [
      "HTTPS://News.Example:443/2023/11/Article/?utm_source=x#c-5",
      "https://news.example/2023/11/Article",
      "https://news.example/2023/11/Article/",
      "https://news.example/2023/11/Article//",
      "https://news.example/2023/11/Article#comments",
      "https://news.example/2023/11/Article?",
      "https://news.example/2023/11/Article?#",
      "https://news.example/2023/11/Article/index.html",
      "https://news.example/2023/11/Article/INDEX.HTML",
      "https://news.example/2023/11/Article/Index.Html?utm_medium=email",
      "https://user:pass@news.example/2023/11/Article",
      "https://user@news.example/2023/11/Article",
      "  https://news.example/2023/11/Article  ",
      "\thttps://news.example/2023/11/Article\n",
    ],
  },
  {
    name: "every tracking parameter is dropped",
    key: "https://news.example/a",
    spellings: [
      "https://news.example/a?utm_source=newsletter",
      "https://news.example/a?utm_medium=email&utm_campaign=nov&utm_term=x&utm_content=y",
      "https://news.example/a?utm_anything_new=1",
      "https://news.example/a?UTM_SOURCE=x&Utm_Medium=y",
      "https://news.example/a?fbclid=IwAR0abc",
      "https://news.example/a?gclid=Cj0KCQ",
      "https://news.example/a?mc_cid=123&mc_eid=456",
      "https://news.example/a?utm_source=x&fbclid=y&gclid=z&mc_cid=1&mc_eid=2",
      "https://news.example/a?&&utm_source=x&",
    ],
  },
  {
    name: "real parameters sorted, tracking gone",
    key: "https://news.example/search?lang=en&page=2&q=cats",
    spellings: [
      "https://news.example/search?q=cats&page=2&lang=en",
      "https://news.example/search?lang=en&page=2&q=cats",
      "https://news.example/search?page=2&utm_source=x&q=cats&fbclid=y&lang=en",
      "https://news.example/search/?q=cats&lang=en&page=2#top",
      "https://news.example/search/index.html?gclid=1&page=2&lang=en&q=cats",
    ],
  },
  {
    name: "root with and without slash",
    key: "https://news.example/",
    spellings: [
      "https://news.example",
      "https://news.example/",
      "https://news.example//",
      "HTTPS://NEWS.EXAMPLE:443",
      "https://news.example/index.html",
      "https://news.example/INDEX.html?utm_source=x#top",
    ],
  },
  {
    name: "http default port 80 is dropped",
    key: "http://news.example/a",
    spellings: ["http://news.example:80/a", "HTTP://news.example/a/", "http://NEWS.example:80/a#x"],
  },
  {
    name: "non-default port is kept",
    key: "https://news.example:8443/a",
    spellings: ["https://news.example:8443/a/", "HTTPS://News.Example:8443/a?utm_source=x"],
  },
  {
    name: "IDN host becomes punycode",
    key: "https://xn--bcher-kva.example/buch",
    spellings: [
      "https://bücher.example/buch",
      "https://BÜCHER.example/buch/",
      "https://xn--bcher-kva.example/buch",
    ],
  },
];

// Each pair must stay two threads.
const differentThreads: { name: string; a: string; b: string }[] = [
  {
    name: "path case",
    a: "https://news.example/2023/Article",
    b: "https://news.example/2023/article",
  },
  {
    name: "non-tracking query value",
    a: "https://news.example/a?id=1",
    b: "https://news.example/a?id=2",
  },
  { name: "extra real parameter", a: "https://news.example/a", b: "https://news.example/a?id=1" },
  { name: "http vs https", a: "http://news.example/a", b: "https://news.example/a" },
  { name: "different hosts", a: "https://news.example/a", b: "https://www.news.example/a" },
  {
    name: "non-default port vs none",
    a: "https://news.example:8443/a",
    b: "https://news.example/a",
  },
  {
    name: "port 443 on http",
    a: "http://news.example:443/a",
    b: "http://news.example/a",
  },
  {
    name: "repeated key order",
    a: "https://news.example/a?t=1&t=2",
    b: "https://news.example/a?t=2&t=1",
  },
  {
    name: "param merely prefixed utm",
    a: "https://news.example/a?utmost=1",
    b: "https://news.example/a",
  },
  { name: "non-http scheme vs https", a: "ftp://news.example/a", b: "https://news.example/a" },
  { name: "explicit ids differing by case", a: "post-123", b: "Post-123" },
  { name: "explicit ids with/without slash", a: "post-123", b: "post-123/" },
  {
    name: "explicit id vs url with the same text",
    a: "post-123",
    b: "https://news.example/post-123",
  },
  {
    name: "index.html not at the end",
    a: "https://news.example/index.html/a",
    b: "https://news.example/a",
  },
  { name: "other index files", a: "https://news.example/a/index.htm", b: "https://news.example/a" },
];

describe("pageKey", () => {
  describe.each(sameThread)("gives one thread for $name", ({ key, spellings }) => {
    it.each(spellings)("%j", (spelling) => {
      expect(pageKey(spelling)).toBe(key);
    });
  });

  it.each(differentThreads)("keeps $name as two threads", ({ a, b }) => {
    expect(pageKey(a)).not.toBe(pageKey(b));
  });

  it.each([
    ["post-123", "post-123"],
    ["  post-123  ", "post-123"],
    ["urn:x", "urn:x"],
    ["/relative/path/", "/relative/path/"],
    ["/relative/index.html?utm_source=x#f", "/relative/index.html?utm_source=x#f"],
    ["ftp://Files.Example:21/a/?utm_source=x#f", "ftp://Files.Example:21/a/?utm_source=x#f"],
    ["mailto:Someone@Example.com", "mailto:Someone@Example.com"],
    ["news.example/article", "news.example/article"],
    ["http://", "http://"],
  ])("returns explicit id %j trimmed but otherwise unchanged", (input, expected) => {
    expect(pageKey(input)).toBe(expected);
  });

  it.each([
    ["https://news.example/a?q=a+b", "https://news.example/a?q=a+b"],
    ["https://news.example/a?q=a%20b", "https://news.example/a?q=a%20b"],
    ["https://news.example/a?q=a b", "https://news.example/a?q=a%20b"],
    ["https://news.example/a?t=~&flag", "https://news.example/a?flag&t=~"],
    ["https://news.example/a?bad=%zz&a=1", "https://news.example/a?a=1&bad=%zz"],
    ["https://news.example/a?%75tm_source=x&b=1", "https://news.example/a?b=1"],
  ])("keeps the encoding of kept parameters as URL serialises them: %j", (input, expected) => {
    expect(pageKey(input)).toBe(expected);
  });

  it("keeps path percent-encoding and case as URL serialises it", () => {
    expect(pageKey("https://news.example/Caf%C3%A9/ä b/")).toBe(
      "https://news.example/Caf%C3%A9/%C3%A4%20b",
    );
  });

  it("is idempotent", () => {
    const inputs = sameThread.flatMap((g) => g.spellings);
    for (const input of inputs) {
      const key = pageKey(input);
      expect(pageKey(key)).toBe(key);
    }
  });
});
