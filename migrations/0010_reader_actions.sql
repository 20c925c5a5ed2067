CREATE TABLE `reader_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`reader` text NOT NULL,
	`kind` text NOT NULL,
	`per_minute` integer NOT NULL,
	`per_day` integer NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reader_actions_reader_idx` ON `reader_actions` (`site_id`,`reader`,`kind`,`at`);--> statement-breakpoint
CREATE INDEX `reader_actions_at_idx` ON `reader_actions` (`at`);--> statement-breakpoint
ALTER TABLE `comments` ADD `avatar` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `comments` ADD `approved_at` text;