-- Rate limits that hold exactly under concurrency: a reader action (a post or an edit, a vote, a
-- flag) is refused inside its own INSERT when the reader already did `per_minute` of that kind in
-- the last minute, or `per_day` in the last 24 hours (0: no limit). SQLite runs one statement at a
-- time, so the count and the insert cannot interleave with another request's; RAISE(ABORT) undoes
-- the whole batch the insert is in, so a refused post stores nothing. The counts stop at the
-- limit, so a busy reader costs no more rows than the limit itself.
CREATE TRIGGER reader_actions_per_minute BEFORE INSERT ON reader_actions
WHEN NEW.per_minute > 0 AND (
  SELECT count(*) FROM (
    SELECT 1 FROM reader_actions
    WHERE site_id = NEW.site_id AND reader = NEW.reader AND kind = NEW.kind
      AND at > strftime('%Y-%m-%dT%H:%M:%fZ', NEW.at, '-60 seconds')
    LIMIT NEW.per_minute
  )
) >= NEW.per_minute
BEGIN
  SELECT RAISE(ABORT, 'parley:rate_limited:minute');
END;
--> statement-breakpoint
CREATE TRIGGER reader_actions_per_day BEFORE INSERT ON reader_actions
WHEN NEW.per_day > 0 AND (
  SELECT count(*) FROM (
    SELECT 1 FROM reader_actions
    WHERE site_id = NEW.site_id AND reader = NEW.reader AND kind = NEW.kind
      AND at > strftime('%Y-%m-%dT%H:%M:%fZ', NEW.at, '-1 day')
    LIMIT NEW.per_day
  )
) >= NEW.per_day
BEGIN
  SELECT RAISE(ABORT, 'parley:rate_limited:day');
END;
--> statement-breakpoint
-- Avatars were a keyed hash of the author's email, which anyone could test a guessed address
-- against by posting with it. They now come from a secret the author's browser keeps; comments
-- written before get a random seed each, so no published seed says anything about an address.
UPDATE comments SET avatar = lower(hex(randomblob(8))) WHERE author_name <> '';
--> statement-breakpoint
-- Cached thread views still hold the old seeds: a new version makes every one of them stale.
UPDATE threads SET version = version + 1;
