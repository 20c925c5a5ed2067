-- Derived counters kept by triggers, so every write path (post, edit, moderation, bulk, import)
-- leaves them exact and reads never count rows.
--   threads.count          published comments on the page
--   comments.reply_count   published comments anywhere below a comment (ancestors come from `path`)
--   comments.score         sum of votes
CREATE TRIGGER comments_published_insert AFTER INSERT ON comments
WHEN NEW.status = 'published'
BEGIN
  UPDATE threads SET count = count + 1 WHERE id = NEW.thread_id;
  UPDATE comments SET reply_count = reply_count + 1
  WHERE id IN (SELECT value FROM json_each('["' || replace(NEW.path, '/', '","') || '"]'))
    AND id <> NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER comments_published_status AFTER UPDATE OF status ON comments
WHEN (OLD.status = 'published') <> (NEW.status = 'published')
BEGIN
  UPDATE threads SET count = count + (CASE WHEN NEW.status = 'published' THEN 1 ELSE -1 END)
  WHERE id = NEW.thread_id;
  UPDATE comments SET reply_count = reply_count + (CASE WHEN NEW.status = 'published' THEN 1 ELSE -1 END)
  WHERE id IN (SELECT value FROM json_each('["' || replace(NEW.path, '/', '","') || '"]'))
    AND id <> NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER comments_published_delete AFTER DELETE ON comments
WHEN OLD.status = 'published'
BEGIN
  UPDATE threads SET count = count - 1 WHERE id = OLD.thread_id;
  UPDATE comments SET reply_count = reply_count - 1
  WHERE id IN (SELECT value FROM json_each('["' || replace(OLD.path, '/', '","') || '"]'))
    AND id <> OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER votes_insert AFTER INSERT ON votes
BEGIN
  UPDATE comments SET score = score + NEW.value WHERE id = NEW.comment_id;
END;
--> statement-breakpoint
CREATE TRIGGER votes_update AFTER UPDATE OF value ON votes
BEGIN
  UPDATE comments SET score = score + NEW.value - OLD.value WHERE id = NEW.comment_id;
END;
--> statement-breakpoint
CREATE TRIGGER votes_delete AFTER DELETE ON votes
BEGIN
  UPDATE comments SET score = score - OLD.value WHERE id = OLD.comment_id;
END;
