DROP INDEX `comments_author_idx`;--> statement-breakpoint
DROP INDEX `comments_email_idx`;--> statement-breakpoint
ALTER TABLE `comments` ADD `staff_by` text;--> statement-breakpoint
CREATE INDEX `comments_subtree_all_idx` ON `comments` (`root_id`,`path`);--> statement-breakpoint
CREATE INDEX `comments_author_idx` ON `comments` (`site_id`,`author_hash`,`id`);--> statement-breakpoint
CREATE INDEX `comments_email_idx` ON `comments` (`site_id`,`author_email`,`id`);--> statement-breakpoint
ALTER TABLE `moderator_keys` ADD `display_name` text;--> statement-breakpoint
ALTER TABLE `threads` ADD `pinned_id` text;
--> statement-breakpoint
-- Pinning or unpinning changes what the thread's first page shows first: the edge cache keys
-- thread views on the version, so it moves, as a lock does (0007).
CREATE TRIGGER threads_version_pin AFTER UPDATE OF pinned_id ON threads
WHEN OLD.pinned_id IS NOT NEW.pinned_id
BEGIN
  UPDATE threads SET version = version + 1 WHERE id = NEW.id;
END;
