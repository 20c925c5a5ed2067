import { decodeHTML } from "entities";
import type { CommentStatus } from "../../../shared/vocabulary";
import { type ImportedThread, type ImportRecord, skipped } from "./records";
import { readXml, XmlReader } from "./xml";

/*
 * WordPress's WXR export (Tools → Export): RSS 2.0 with the `wp:`, `content:` and `dc:`
 * namespaces, one `<item>` per post with its `<title>` and `<link>` first and its
 * `<wp:comment>`s last, so each comment is complete, thread included, when it closes.
 */

/** `wp:comment_approved` as WordPress stores it; anything else is held for a moderator. */
const STATUSES: Record<string, CommentStatus> = {
  "1": "published",
  "0": "pending",
  spam: "spam",
  trash: "deleted",
  "post-trashed": "deleted",
};

/** Reader comments; pingbacks, trackbacks and plugin notes (order notes…) are not. */
const COMMENT_TYPES = new Set(["", "comment"]);

const NO_DATE = "0000-00-00 00:00:00";

/** "2019-03-04 10:20:30" (UTC in `_gmt` fields) as ISO 8601. */
const isoFromWordPress = (date: string) => (date ? `${date.replace(" ", "T")}Z` : "");

interface WxrComment {
  id: string;
  parent: string;
  author: string;
  email: string;
  url: string;
  date: string;
  dateGmt: string;
  content: string;
  approved: string;
  type: string;
}

const emptyComment = (): WxrComment => ({
  id: "",
  parent: "",
  author: "",
  email: "",
  url: "",
  date: "",
  dateGmt: "",
  content: "",
  approved: "",
  type: "",
});

const COMMENT_FIELDS: Record<string, keyof WxrComment> = {
  "wp:comment_id": "id",
  "wp:comment_parent": "parent",
  "wp:comment_author": "author",
  "wp:comment_author_email": "email",
  "wp:comment_author_url": "url",
  "wp:comment_date": "date",
  "wp:comment_date_gmt": "dateGmt",
  "wp:comment_content": "content",
  "wp:comment_approved": "approved",
  "wp:comment_type": "type",
};

const ITEM = "rss/channel/item";
const COMMENT = `${ITEM}/wp:comment`;

class WxrReader extends XmlReader {
  private thread: ImportedThread = { page: "" };
  private comment = emptyComment();
  private items = 0;
  private commentsInItem = 0;

  constructor() {
    super("rss", "WordPress (WXR)");
  }

  protected override opened(path: string): void {
    if (path === ITEM) {
      this.items += 1;
      this.commentsInItem = 0;
      this.thread = { page: "" };
    }
    if (path === COMMENT) this.comment = emptyComment();
  }

  protected element(path: string, text: string): void {
    if (path === `${ITEM}/link`) this.thread.page = text;
    // WordPress keeps titles with HTML entities ("Caf&eacute; &amp; cr&egrave;me").
    else if (path === `${ITEM}/title`) this.thread.title = decodeHTML(text);
    else if (path === `${ITEM}/wp:post_date_gmt` && text !== NO_DATE) {
      this.thread.createdAt = isoFromWordPress(text);
    } else if (path === COMMENT) this.done.push(this.record(this.comment));
    else if (path.startsWith(`${COMMENT}/`)) {
      const field = COMMENT_FIELDS[path.slice(COMMENT.length + 1)];
      if (field) this.comment[field] = text;
    }
  }

  private record(c: WxrComment): ImportRecord {
    this.commentsInItem += 1;
    const position = `item ${this.items}, comment ${this.commentsInItem} (wp:comment_id ${c.id || "missing"})`;
    if (!COMMENT_TYPES.has(c.type)) return skipped(position, `a ${c.type}, not a reader's comment`);
    if (!c.id) return skipped(position, "the comment has no wp:comment_id");
    if (!this.thread.page) return skipped(position, "its post has no link");
    const date = c.dateGmt && c.dateGmt !== NO_DATE ? c.dateGmt : c.date;
    return {
      kind: "comment",
      position,
      comment: {
        externalId: c.id,
        parentExternalId: c.parent && c.parent !== "0" ? c.parent : null,
        thread: { ...this.thread },
        author: { name: c.author, email: c.email, website: c.url },
        body: { kind: "html", html: c.content, lineBreaks: true },
        status: STATUSES[c.approved] ?? "pending",
        createdAt: isoFromWordPress(date),
      },
    };
  }
}

export function readWxr(chunks: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  return readXml(chunks, new WxrReader());
}
