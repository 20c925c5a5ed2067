/**
 * A least-recently-used map bounded by the bytes its values stand for, for what an isolate keeps
 * between requests. Each value is kept with a size its caller states (the length of the text it
 * came from); past `maxBytes` the least recently used go first. A value larger than a quarter of
 * the bound is not kept, so one huge entry cannot empty the map.
 */
export class MemoryCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): V | undefined {
    const found = this.entries.get(key);
    if (!found) return undefined;
    // Map keeps insertion order: taking the entry out and back in makes it the most recent.
    this.entries.delete(key);
    this.entries.set(key, found);
    return found.value;
  }

  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes / 4) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  delete(key: string): void {
    const found = this.entries.get(key);
    if (!found) return;
    this.entries.delete(key);
    this.bytes -= found.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
