import type { CommentStatus } from "../../../shared/vocabulary";
import { type ImportedThread, type ImportRecord, skipped } from "./records";
import { readXml, XmlReader } from "./xml";

/*
 * Disqus's XML export (Moderation → Export): `<disqus>` with the `dsq:` namespace, holding
 * `<category>`s, then every `<thread dsq:id>` (link, title, isDeleted, createdAt), then every
 * `<post dsq:id>` naming its thread and, for a reply, its parent by `dsq:id`. The threads are
 * kept here (one small entry each) until the posts that name them come by.
 */

interface DisqusThread extends ImportedThread {
  deleted: boolean;
}

interface DisqusPost {
  id: string;
  thread?: string;
  parent?: string;
  message: string;
  createdAt: string;
  deleted: boolean;
  spam: boolean;
  name?: string;
  username?: string;
  email?: string;
}

const isTrue = (text: string) => text.toLowerCase() === "true";

/** Disqus writes UTC, sometimes without saying so ("2012-12-12T12:12:12"), which JS reads as local. */
const utc = (text: string) =>
  text === "" || /(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`;

function statusOf(post: DisqusPost): CommentStatus {
  if (post.spam) return "spam";
  return post.deleted ? "deleted" : "published";
}

class DisqusReader extends XmlReader {
  private readonly threads = new Map<string, DisqusThread>();
  private thread: DisqusThread = { page: "", deleted: false };
  private post: DisqusPost = DisqusReader.emptyPost("");
  private posts = 0;

  constructor() {
    super("disqus", "Disqus");
  }

  private static emptyPost(id: string): DisqusPost {
    return { id, message: "", createdAt: "", deleted: false, spam: false };
  }

  protected override opened(path: string): void {
    if (path === "disqus/thread") this.thread = { page: "", deleted: false };
    if (path === "disqus/post") this.post = DisqusReader.emptyPost("");
  }

  protected element(path: string, text: string, attributes: Record<string, string>): void {
    const thread = this.thread;
    const post = this.post;
    switch (path) {
      case "disqus/thread":
        this.threads.set(attributes["dsq:id"] ?? "", thread);
        break;
      case "disqus/thread/link":
        thread.page = text;
        break;
      case "disqus/thread/title":
        thread.title = text;
        break;
      case "disqus/thread/createdAt":
        thread.createdAt = utc(text);
        break;
      case "disqus/thread/isDeleted":
        thread.deleted = isTrue(text);
        break;
      case "disqus/post":
        post.id = attributes["dsq:id"] ?? "";
        this.done.push(this.record(post));
        break;
      case "disqus/post/thread":
        post.thread = attributes["dsq:id"];
        break;
      case "disqus/post/parent":
        post.parent = attributes["dsq:id"];
        break;
      case "disqus/post/message":
        post.message = text;
        break;
      case "disqus/post/createdAt":
        post.createdAt = utc(text);
        break;
      case "disqus/post/isDeleted":
        post.deleted = isTrue(text);
        break;
      case "disqus/post/isSpam":
        post.spam = isTrue(text);
        break;
      case "disqus/post/author/name":
        post.name = text;
        break;
      case "disqus/post/author/username":
        post.username = text;
        break;
      case "disqus/post/author/email":
        post.email = text;
        break;
    }
  }

  private record(post: DisqusPost): ImportRecord {
    this.posts += 1;
    const position = `post ${this.posts} (dsq:id ${post.id || "missing"})`;
    const thread = this.threads.get(post.thread ?? "");
    if (!post.id) return skipped(position, "the post has no dsq:id");
    if (!thread) {
      return skipped(
        position,
        `its thread (dsq:id ${post.thread ?? "missing"}) is not in the export`,
      );
    }
    if (thread.deleted) return skipped(position, "its thread is deleted in Disqus");
    if (!thread.page) return skipped(position, "its thread has no link");
    const { deleted: _, ...page } = thread;
    return {
      kind: "comment",
      position,
      comment: {
        externalId: post.id,
        parentExternalId: post.parent ?? null,
        thread: page,
        author: { name: post.name || post.username, email: post.email },
        body: { kind: "html", html: post.message, lineBreaks: false },
        status: statusOf(post),
        createdAt: post.createdAt,
      },
    };
  }
}

export function readDisqus(chunks: AsyncIterable<string>): AsyncGenerator<ImportRecord> {
  return readXml(chunks, new DisqusReader());
}
