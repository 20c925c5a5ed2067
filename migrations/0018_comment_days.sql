CREATE TABLE `comment_days` (
	`site_id` text NOT NULL,
	`day` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `day`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- The days that already have comments.
INSERT INTO comment_days (site_id, day, count)
SELECT site_id, substr(created_at, 1, 10), count(*) FROM comments
GROUP BY site_id, substr(created_at, 1, 10);
--> statement-breakpoint
-- Every comment counts on the UTC day it was written (an imported one on its own day), whatever
-- its status: the overview shows what arrived, the queue what waits.
CREATE TRIGGER comments_day_count AFTER INSERT ON comments
BEGIN
  INSERT INTO comment_days (site_id, day, count)
  VALUES (NEW.site_id, substr(NEW.created_at, 1, 10), 1)
  ON CONFLICT (site_id, day) DO UPDATE SET count = count + 1;
END;
