CREATE TABLE `console_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`key_id` text,
	`operator_token_hash` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`key_id`) REFERENCES `moderator_keys`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `console_sessions_key_idx` ON `console_sessions` (`key_id`);--> statement-breakpoint
CREATE TABLE `console_sign_in_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ip_hash` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `console_sign_in_failures_ip_idx` ON `console_sign_in_failures` (`ip_hash`,`at`);