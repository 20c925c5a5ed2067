CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`before_status` text,
	`after_status` text,
	`detail` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `audit_site_idx` ON `audit_log` (`site_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_target_idx` ON `audit_log` (`target`);--> statement-breakpoint
CREATE TABLE `blocks` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `blocks_site_value_idx` ON `blocks` (`site_id`,`kind`,`value`);--> statement-breakpoint
ALTER TABLE `comments` ADD `body_hash` text;--> statement-breakpoint
CREATE INDEX `comments_ip_idx` ON `comments` (`site_id`,`ip_hash`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_email_idx` ON `comments` (`site_id`,`author_email`);--> statement-breakpoint
CREATE INDEX `comments_body_hash_idx` ON `comments` (`site_id`,`body_hash`,`created_at`);--> statement-breakpoint
ALTER TABLE `sites` ADD `webhook_secret` text;