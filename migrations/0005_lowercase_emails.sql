-- Emails are compared lower-cased (moderation filters, bulk actions, blocks); from this version
-- they are also stored so. Earlier comments kept the case their author typed.
UPDATE `comments` SET `author_email` = lower(`author_email`) WHERE `author_email` <> lower(`author_email`);
