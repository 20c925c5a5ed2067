DROP INDEX `moderator_keys_site_idx`;--> statement-breakpoint
CREATE INDEX `moderator_keys_site_idx` ON `moderator_keys` (`site_id`,`id`);