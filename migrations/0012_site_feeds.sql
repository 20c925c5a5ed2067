ALTER TABLE `sites` ADD `comments_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `comments_thread_published_idx` ON `comments` (`thread_id`,`id`) WHERE status = 'published';