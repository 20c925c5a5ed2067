-- The mail a comment causes is queued by SQLite, in the statement that publishes or holds it, so
-- no write path (posting, approving, bulk approval, readers' flags) can forget it and no mail is
-- lost when a Worker ends early: the outbox row commits with its cause or not at all. Delivery
-- (src/services/notifications/delivery.ts) sends what is due.
--
-- Only comments written here count: a reader's post carries an edit token, an imported comment
-- none, and an import must not mail anyone about old comments.
--
-- Notifications: the published comment goes to the confirmed addresses subscribed to its thread
-- and to those subscribed to replies to its parent, never to its own author's address. One mail
-- per address and thread is queued at a time: while it waits, later comments join it (the
-- digest). It waits until five minutes after the last one sent or being sent to that address
-- about that thread, so the first goes out at once and the rest at most every five minutes.
CREATE TRIGGER comments_notify_insert AFTER INSERT ON comments
WHEN NEW.status = 'published' AND NEW.edit_token_hash IS NOT NULL
BEGIN
  INSERT INTO outbox (id, site_id, kind, recipient, thread_id, comment_ids, status, not_before, attempts, created_at)
  SELECT 'm_' || lower(hex(randomblob(12))), NEW.site_id, 'notify', a.email, NEW.thread_id,
    json_array(NEW.id), 'queued',
    max(NEW.created_at, coalesce((
      SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(o.sent_at), '+5 minutes') FROM outbox o
      WHERE o.site_id = NEW.site_id AND o.recipient = a.email AND o.kind = 'notify'
        AND o.thread_id = NEW.thread_id AND o.status IN ('sending', 'sent')
    ), '')),
    0, NEW.created_at
  FROM subscriptions s JOIN mail_addresses a ON a.id = s.address_id
  WHERE s.thread_id = NEW.thread_id AND a.confirmed_at IS NOT NULL
    AND a.email IS NOT NEW.author_email
    AND (s.kind = 'thread' OR s.comment_id IS NEW.parent_id)
  GROUP BY a.email
  ON CONFLICT (site_id, recipient, thread_id) WHERE status = 'queued' AND kind = 'notify'
  DO UPDATE SET comment_ids = json_insert(outbox.comment_ids, '$[#]', NEW.id);
END;
--> statement-breakpoint
-- A held comment a moderator approves notifies then, as if it had just been posted. The same
-- statement as above but for its time: SQLite triggers fire on one event each and cannot share one.
CREATE TRIGGER comments_notify_approved AFTER UPDATE OF status ON comments
WHEN NEW.status = 'published' AND OLD.status IN ('pending', 'spam')
  AND NEW.edit_token_hash IS NOT NULL
BEGIN
  INSERT INTO outbox (id, site_id, kind, recipient, thread_id, comment_ids, status, not_before, attempts, created_at)
  SELECT 'm_' || lower(hex(randomblob(12))), NEW.site_id, 'notify', a.email, NEW.thread_id,
    json_array(NEW.id), 'queued',
    max(coalesce(NEW.approved_at, NEW.created_at), coalesce((
      SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(o.sent_at), '+5 minutes') FROM outbox o
      WHERE o.site_id = NEW.site_id AND o.recipient = a.email AND o.kind = 'notify'
        AND o.thread_id = NEW.thread_id AND o.status IN ('sending', 'sent')
    ), '')),
    0, coalesce(NEW.approved_at, NEW.created_at)
  FROM subscriptions s JOIN mail_addresses a ON a.id = s.address_id
  WHERE s.thread_id = NEW.thread_id AND a.confirmed_at IS NOT NULL
    AND a.email IS NOT NEW.author_email
    AND (s.kind = 'thread' OR s.comment_id IS NEW.parent_id)
  GROUP BY a.email
  ON CONFLICT (site_id, recipient, thread_id) WHERE status = 'queued' AND kind = 'notify'
  DO UPDATE SET comment_ids = json_insert(outbox.comment_ids, '$[#]', NEW.id);
END;
--> statement-breakpoint
-- Moderator alerts: each of the site's moderator addresses hears of a comment held for them
-- (alerts `pending` or `all`) and, with `all`, of every new published one. Due at once ("").
CREATE TRIGGER comments_alert_insert AFTER INSERT ON comments
WHEN NEW.status IN ('pending', 'published') AND NEW.edit_token_hash IS NOT NULL
BEGIN
  INSERT INTO outbox (id, site_id, kind, recipient, thread_id, comment_ids, status, not_before, attempts, created_at)
  SELECT 'm_' || lower(hex(randomblob(12))), s.id, 'alert', lower(e.value), NEW.thread_id,
    json_array(NEW.id), 'queued', '', 0, NEW.created_at
  FROM sites s, json_each(s.moderator_emails) e
  WHERE s.id = NEW.site_id
    AND (s.alerts = 'all' OR (s.alerts = 'pending' AND NEW.status = 'pending'));
END;
--> statement-breakpoint
-- A published comment held by readers' flags past the site's threshold.
CREATE TRIGGER comments_alert_held AFTER UPDATE OF status ON comments
WHEN NEW.status = 'pending' AND OLD.status = 'published'
BEGIN
  INSERT INTO outbox (id, site_id, kind, recipient, thread_id, comment_ids, status, not_before, attempts, created_at)
  SELECT 'm_' || lower(hex(randomblob(12))), s.id, 'alert', lower(e.value), NEW.thread_id,
    json_array(NEW.id), 'queued', '', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM sites s, json_each(s.moderator_emails) e
  WHERE s.id = NEW.site_id AND s.alerts IN ('pending', 'all');
END;
