CREATE TABLE `mail_actions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`comment_id` text NOT NULL,
	`action` text NOT NULL,
	`recipient` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `mail_addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`email` text NOT NULL,
	`confirmed_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_addresses_site_email_idx` ON `mail_addresses` (`site_id`,`email`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`kind` text NOT NULL,
	`recipient` text NOT NULL,
	`thread_id` text,
	`comment_ids` text DEFAULT '[]' NOT NULL,
	`ip_hash` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`not_before` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	`sent_at` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`not_before`);--> statement-breakpoint
CREATE INDEX `outbox_recipient_idx` ON `outbox` (`site_id`,`recipient`,`kind`,`thread_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_digest_idx` ON `outbox` (`site_id`,`recipient`,`thread_id`) WHERE status = 'queued' AND kind = 'notify';--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`address_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`kind` text NOT NULL,
	`comment_id` text NOT NULL,
	`consent_wording` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`address_id`) REFERENCES `mail_addresses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `subscriptions_thread_idx` ON `subscriptions` (`thread_id`,`kind`);--> statement-breakpoint
CREATE INDEX `subscriptions_address_idx` ON `subscriptions` (`address_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_once_idx` ON `subscriptions` (`address_id`,`kind`,`comment_id`);--> statement-breakpoint
ALTER TABLE `sites` ADD `moderator_emails` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `alerts` text DEFAULT 'pending' NOT NULL;