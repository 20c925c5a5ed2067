ALTER TABLE `sites` ADD `min_seconds_to_post` integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `turnstile_secret_key` text;