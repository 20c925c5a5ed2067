import { createApp } from "./app";
import { scheduled } from "./scheduled";

/** The Worker: the app answers requests; the Cron Trigger sends the mail that is due. */
export default { fetch: createApp().fetch, scheduled };
