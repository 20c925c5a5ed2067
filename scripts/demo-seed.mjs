// The demo article's discussion, posted through the public API like any reader's comment.
// One of them is the obvious spam a moderator removes (README, "Moderation").

export const DEMO_PAGE = "demo/river-bends";

/** `replyTo` names an earlier entry by its index. */
const DISCUSSION = [
  {
    name: "Eleanor Park",
    body: "I grew up on Ferry Street. Moving the lowest houses is painful, but I would rather my parents live somewhere the river cannot reach.",
  },
  {
    name: "Tom Hadley",
    website: "https://tomhadley.example",
    replyTo: 0,
    body: "Easy to say when it isn't *your* house. The new plots are a **twenty minute** walk from the school.",
  },
  {
    name: "Eleanor Park",
    replyTo: 1,
    body: "Fair point. The council said it would run a bus during the first year; we should hold them to that.",
  },
  {
    name: "Grace O.",
    body: "Does anyone know whether the bakery is taking volunteers? Happy to help on Saturday mornings.",
  },
  {
    name: "Ofertas Increíbles",
    website: "https://dinero-facil.example",
    body: "¡GANA DINERO DESDE CASA! Préstamos rápidos sin aval y sin papeleo, aprobados en 5 minutos. Escríbenos por WhatsApp y recibe tu dinero hoy mismo: https://dinero-facil.example/oferta ¡¡Plazas limitadas!!",
  },
  {
    name: "Sam Whitfield",
    replyTo: 3,
    body: "They are! Ask for Ruth at the counter, she keeps the rota.",
  },
  {
    name: "Dr. Aisha Rahman",
    body: "A park that is *allowed* to flood is exactly what the hydrology reports recommended in 2019:\n\n> Give the river room, and it will give the town time.\n\nGood to see it finally happen.",
  },
];

/** Posts the discussion unless the demo page already has comments. */
export async function seedDemoDiscussion(base) {
  const counts = await fetch(
    `${base}/api/v1/sites/demo/counts?page=${encodeURIComponent(DEMO_PAGE)}`,
  );
  if ((await counts.json()).counts[DEMO_PAGE] > 0) return false;
  const ids = [];
  for (const entry of DISCUSSION) {
    const res = await fetch(`${base}/api/v1/sites/demo/comments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        page: DEMO_PAGE,
        title: "Where the River Bends: A Town Rebuilds After the Flood",
        parentId: entry.replyTo === undefined ? undefined : ids[entry.replyTo],
        author: { name: entry.name, website: entry.website },
        body: entry.body,
      }),
    });
    if (!res.ok) throw new Error(`seeding the demo failed: ${res.status} ${await res.text()}`);
    ids.push((await res.json()).comment.id);
  }
  return true;
}
