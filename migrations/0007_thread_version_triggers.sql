-- threads.version moves on with every change a reader of the thread could see, whichever write
-- path makes it; the edge cache keys thread views on it (src/services/thread-cache.ts).
-- reply_count is left out of the UPDATE OF list: it only changes together with a status change
-- or an insert, which bump the version already, and the ancestors' counter updates would
-- otherwise bump it once per ancestor.
CREATE TRIGGER comments_version_insert AFTER INSERT ON comments
BEGIN
  UPDATE threads SET version = version + 1 WHERE id = NEW.thread_id;
END;
--> statement-breakpoint
CREATE TRIGGER comments_version_update
AFTER UPDATE OF status, body_json, edited_at, score, author_name, author_website, parent_id ON comments
BEGIN
  UPDATE threads SET version = version + 1 WHERE id = NEW.thread_id;
END;
--> statement-breakpoint
CREATE TRIGGER comments_version_delete AFTER DELETE ON comments
BEGIN
  UPDATE threads SET version = version + 1 WHERE id = OLD.thread_id;
END;
--> statement-breakpoint
CREATE TRIGGER threads_version_lock AFTER UPDATE OF locked, title ON threads
WHEN OLD.locked IS NOT NEW.locked OR OLD.title IS NOT NEW.title
BEGIN
  UPDATE threads SET version = version + 1 WHERE id = NEW.id;
END;
