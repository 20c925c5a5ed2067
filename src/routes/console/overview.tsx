import type { AppEnv } from "../../env";
import type { Viewer } from "../../services/console/sessions";
import type { siteOverview } from "../../services/moderation/overview";
import { TAB_COUNT_CAP } from "../../services/moderation/queue";
import { Listing, Page } from "./layout";
import { useStrings } from "./locale";
import { queueAddress } from "./queue";

/*
 * A site at a glance: the last 30 days of comments as bars the server draws in SVG (no chart
 * library, nothing to run), the same numbers as a table for whoever cannot see the bars, and the
 * backlog with links into the queue.
 */

type SiteRow = AppEnv["Variables"]["site"];
type Overview = Awaited<ReturnType<typeof siteOverview>>;

const WIDTH = 300;
const HEIGHT = 100;

const countText = (n: number) => (n >= TAB_COUNT_CAP ? `${TAB_COUNT_CAP}+` : String(n));

function Chart({ days }: { days: Overview["days"] }) {
  const most = Math.max(1, ...days.map((d) => d.count));
  const step = WIDTH / days.length;
  const t = useStrings();
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`}
      role="img"
      aria-labelledby="chart-title"
      class="chart"
    >
      <title id="chart-title">{t.overviewChart}</title>
      {days.map((d, i) => {
        const height = (d.count / most) * HEIGHT;
        return (
          <rect x={i * step + 1} y={HEIGHT - height} width={step - 2} height={height} class="bar">
            <title>{`${d.day}: ${d.count}`}</title>
          </rect>
        );
      })}
      <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} class="axis" />
      <text x="0" y={HEIGHT + 15} class="label">
        {days[0]?.day}
      </text>
      <text x={WIDTH} y={HEIGHT + 15} text-anchor="end" class="label">
        {days.at(-1)?.day}
      </text>
    </svg>
  );
}

export function OverviewPage(props: { viewer: Viewer; site: SiteRow; overview: Overview }) {
  const { viewer, site, overview } = props;
  const t = useStrings();
  return (
    <Page title={`${t.overviewTitle}: ${site.name}`} viewer={viewer} siteId={site.id}>
      <h2>{t.overviewWaiting}</h2>
      <ul>
        <li>
          <a href={queueAddress(site.id, "pending")}>
            {t.tabs.pending}: {countText(overview.backlog.pending)}
          </a>
        </li>
        <li>
          <a href={queueAddress(site.id, "flagged")}>
            {t.tabs.flagged}: {countText(overview.backlog.flagged)}
          </a>
        </li>
      </ul>
      <h2>{t.overviewChart}</h2>
      <Chart days={overview.days} />
      <details>
        <summary>{t.overviewNumbers}</summary>
        <Listing
          headings={[t.overviewDay, t.overviewCount]}
          empty=""
          rows={overview.days.map((d) => (
            <tr>
              <td>{d.day}</td>
              <td>{d.count}</td>
            </tr>
          ))}
        />
      </details>
    </Page>
  );
}
