ALTER TABLE `threads` ADD `last_comment_at` text;--> statement-breakpoint
CREATE INDEX `threads_site_activity_idx` ON `threads` (`site_id`,`last_comment_at`);--> statement-breakpoint
-- Pages that already have comments: their newest one's time.
UPDATE threads SET last_comment_at = (
  SELECT max(created_at) FROM comments WHERE comments.thread_id = threads.id
);
--> statement-breakpoint
-- The insert trigger of 0007 moves the thread's version; it now also says when the page last got
-- a comment, in the same UPDATE of the same row (the console's Pages screen orders by it). The
-- later of the two: an import inserts old comments in any order.
DROP TRIGGER comments_version_insert;
--> statement-breakpoint
CREATE TRIGGER comments_version_insert AFTER INSERT ON comments
BEGIN
  UPDATE threads
  SET version = version + 1,
      last_comment_at = max(coalesce(last_comment_at, NEW.created_at), NEW.created_at)
  WHERE id = NEW.thread_id;
END;
