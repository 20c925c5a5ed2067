-- sites.counts_version moves on with every change to a count of one of the site's pages, whichever
-- write path makes it (threads.count itself is kept by the 0001 triggers); the edge cache keys
-- sets of counts on it (src/services/edge-cache.ts). Threads are created with count 0 and only
-- removed with their site, but inserting or deleting one with a count bumps it too, so no path
-- can change what /counts answers without moving the version.
CREATE TRIGGER threads_counts_version_update AFTER UPDATE OF count, page_key ON threads
WHEN OLD.count IS NOT NEW.count OR OLD.page_key IS NOT NEW.page_key
BEGIN
  UPDATE sites SET counts_version = counts_version + 1 WHERE id = NEW.site_id;
END;
--> statement-breakpoint
CREATE TRIGGER threads_counts_version_insert AFTER INSERT ON threads
WHEN NEW.count <> 0
BEGIN
  UPDATE sites SET counts_version = counts_version + 1 WHERE id = NEW.site_id;
END;
--> statement-breakpoint
CREATE TRIGGER threads_counts_version_delete AFTER DELETE ON threads
WHEN OLD.count <> 0
BEGIN
  UPDATE sites SET counts_version = counts_version + 1 WHERE id = OLD.site_id;
END;
