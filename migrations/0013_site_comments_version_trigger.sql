-- sites.comments_version moves on whenever a thread of the site moves its version, that is with
-- every change a reader could see on any of the site's pages (threads.version is kept by the 0007
-- triggers: a comment written, edited, moderated or voted on, a page locked or retitled). The edge
-- cache keys the site's feed and its recent comments on it (src/services/comments/view-cache.ts).
-- Threads are created at version 0 and only removed with their site, whose new incarnation the
-- cache tells apart by its created_at.
CREATE TRIGGER threads_site_comments_version AFTER UPDATE OF version ON threads
WHEN OLD.version IS NOT NEW.version
BEGIN
  UPDATE sites SET comments_version = comments_version + 1 WHERE id = NEW.site_id;
END;
