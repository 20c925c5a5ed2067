CREATE TABLE `comments` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`parent_id` text,
	`root_id` text NOT NULL,
	`depth` integer NOT NULL,
	`path` text NOT NULL,
	`author_name` text NOT NULL,
	`author_email` text,
	`author_website` text,
	`author_hash` text NOT NULL,
	`ip_hash` text,
	`user_agent` text,
	`body_source` text NOT NULL,
	`body_json` text NOT NULL,
	`status` text NOT NULL,
	`spam_reasons` text,
	`reply_count` integer DEFAULT 0 NOT NULL,
	`score` integer DEFAULT 0 NOT NULL,
	`edit_token_hash` text,
	`editable_until` text,
	`created_at` text NOT NULL,
	`edited_at` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `comments_roots_idx` ON `comments` (`thread_id`,`id`) WHERE depth = 0 AND (status = 'published' OR (status = 'deleted' AND reply_count > 0));--> statement-breakpoint
CREATE INDEX `comments_roots_top_idx` ON `comments` (`thread_id`,"score" DESC,`id`) WHERE depth = 0 AND (status = 'published' OR (status = 'deleted' AND reply_count > 0));--> statement-breakpoint
CREATE INDEX `comments_subtree_idx` ON `comments` (`root_id`,`path`) WHERE (status = 'published' OR (status = 'deleted' AND reply_count > 0));--> statement-breakpoint
CREATE INDEX `comments_site_status_idx` ON `comments` (`site_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `comments_author_idx` ON `comments` (`site_id`,`author_hash`);--> statement-breakpoint
CREATE TABLE `ip_salts` (
	`day` text PRIMARY KEY NOT NULL,
	`salt` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `moderator_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`label` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `moderator_keys_site_idx` ON `moderator_keys` (`site_id`);--> statement-breakpoint
CREATE TABLE `sites` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`origins` text NOT NULL,
	`moderation` text DEFAULT 'none' NOT NULL,
	`max_depth` integer DEFAULT 5 NOT NULL,
	`edit_window_seconds` integer DEFAULT 900 NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`posts_per_minute` integer DEFAULT 5 NOT NULL,
	`posts_per_day` integer DEFAULT 50 NOT NULL,
	`max_links` integer DEFAULT 2 NOT NULL,
	`flag_threshold` integer DEFAULT 3 NOT NULL,
	`webhook_url` text,
	`turnstile_site_key` text,
	`author_salt` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `threads` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`page_key` text NOT NULL,
	`title` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`locked` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `threads_site_page_idx` ON `threads` (`site_id`,`page_key`);--> statement-breakpoint
CREATE TABLE `votes` (
	`comment_id` text NOT NULL,
	`voter_hash` text NOT NULL,
	`value` integer NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`comment_id`, `voter_hash`),
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade
);
