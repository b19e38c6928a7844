/* conference_papers: a conference's live posts, loaded only when the visitor asks.
 *
 * The page shows a snapshot of the posts as static HTML and a link to them on the
 * provider; without script that is all. With script, the region .timeline-live
 * shows a button naming the provider's host. Until it is clicked nothing is
 * requested from another host. "Remember" keeps the choice in localStorage (never
 * a cookie), for that host only, and can be withdrawn.
 *
 * What loads after the click: Mastodon and Bluesky, each post's own embed page in a
 * sandboxed iframe (the list of posts comes from the provider's public API); X, its
 * profile widget (X offers nothing else).
 */
(() => {
  "use strict";

  const KEY = "conference-papers:live-posts:";
  const BLUESKY_EMBED = "https://embed.bsky.app";
  const X_WIDGETS = "https://platform.twitter.com/widgets.js";
  const TAG_FACET = "app.bsky.richtext.facet#tag";

  const choice = {
    get(host) {
      try {
        return localStorage.getItem(KEY + host) === "yes";
      } catch {
        return false; // storage disabled: ask every time
      }
    },
    set(host, remember) {
      try {
        if (remember) localStorage.setItem(KEY + host, "yes");
        else localStorage.removeItem(KEY + host);
      } catch {
        /* storage disabled */
      }
    },
  };

  function httpsOrigin(value) {
    const url = new URL(value);
    if (url.protocol !== "https:") throw new Error("not https: " + value);
    return url.origin;
  }

  async function getJSON(url) {
    const response = await fetch(url, {
      credentials: "omit",
      referrerPolicy: "no-referrer",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  }

  let frames = 0;

  function frame(src, title) {
    const iframe = document.createElement("iframe");
    const id = String(++frames);
    const url = new URL(src);
    url.searchParams.set("id", id); // Bluesky's embed reports its height with it
    iframe.src = url.href;
    iframe.title = title;
    iframe.className = "timeline-live-frame";
    iframe.loading = "lazy";
    iframe.referrerPolicy = "no-referrer";
    iframe.setAttribute(
      "sandbox",
      "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox",
    );
    // Mastodon's embed answers this with its height (as its own embed.js asks).
    iframe.addEventListener("load", () => {
      iframe.contentWindow.postMessage({ type: "setHeight", id }, url.origin);
    });
    return iframe;
  }

  // Embeds report their height; accept it only from the frame's own origin.
  window.addEventListener("message", (event) => {
    for (const iframe of document.querySelectorAll("iframe.timeline-live-frame")) {
      if (iframe.contentWindow !== event.source) continue;
      if (new URL(iframe.src).origin !== event.origin) return;
      const height = Number(event.data && event.data.height);
      if (height > 0 && height < 10000) iframe.style.height = Math.ceil(height) + "px";
    }
  });

  const loaders = {
    async mastodon(data, into) {
      const api = httpsOrigin(data.api);
      const lookup = new URLSearchParams({ acct: data.account });
      const account = await getJSON(`${api}/api/v1/accounts/lookup?${lookup}`);
      if (!/^\d+$/.test(String(account.id))) throw new Error("unexpected answer");
      const query = new URLSearchParams({ limit: data.count, exclude_reblogs: "true" });
      if (data.hashtag) query.set("tagged", data.hashtag);
      const statuses = await getJSON(
        `${api}/api/v1/accounts/${account.id}/statuses?${query}`,
      );
      let shown = 0;
      for (const status of Array.isArray(statuses) ? statuses : []) {
        if (shown >= Number(data.count) || !/^\d+$/.test(String(status.id))) continue;
        const user = encodeURIComponent(data.account);
        into.append(
          frame(`${api}/@${user}/${status.id}/embed`, `Post by @${data.account}`),
        );
        shown += 1;
      }
      return shown;
    },

    async bluesky(data, into) {
      const api = httpsOrigin(data.api);
      const query = new URLSearchParams({
        actor: data.account,
        filter: "posts_no_replies",
        limit: "100",
      });
      const answer = await getJSON(`${api}/xrpc/app.bsky.feed.getAuthorFeed?${query}`);
      const tag = data.hashtag.toLowerCase();
      let shown = 0;
      for (const item of Array.isArray(answer.feed) ? answer.feed : []) {
        if (shown >= Number(data.count) || item.reason) continue;
        const post = item.post || {};
        const facets = (post.record && post.record.facets) || [];
        const tags = facets
          .flatMap((facet) => facet.features || [])
          .filter((feature) => feature.$type === TAG_FACET)
          .map((feature) => String(feature.tag).toLowerCase());
        if (tag && !tags.includes(tag)) continue;
        const match = /^at:\/\/(did:[a-z]+:[A-Za-z0-9._:%-]+)\/app\.bsky\.feed\.post\/([A-Za-z0-9._~-]+)$/.exec(
          String(post.uri),
        );
        if (!match) continue;
        into.append(
          frame(
            `${BLUESKY_EMBED}/embed/${match[1]}/app.bsky.feed.post/${match[2]}`,
            `Post by @${data.account}`,
          ),
        );
        shown += 1;
      }
      return shown;
    },

    async x(data, into) {
      const link = document.createElement("a");
      link.className = "twitter-timeline";
      link.href = "https://twitter.com/" + encodeURIComponent(data.account);
      link.dataset.dnt = "true";
      link.textContent = "Posts by @" + data.account;
      into.append(link);
      const script = document.createElement("script");
      script.src = X_WIDGETS;
      script.async = true;
      into.append(script);
      return 1;
    },
  };

  function setUp(region) {
    const data = region.dataset;
    const load = loaders[data.provider];
    if (!load) return;
    const button = region.querySelector(".timeline-consent");
    const remember = region.querySelector(".timeline-remember");
    const status = region.querySelector(".timeline-live-status");
    const into = region.querySelector(".timeline-live-posts");
    const forget = region.querySelector(".timeline-forget");

    async function show() {
      button.disabled = true;
      status.textContent = `Loading posts from ${data.host}…`;
      try {
        const shown = await load(data, into);
        status.textContent = shown ? "" : `${data.host} has no posts to show here.`;
        region.querySelector(".timeline-ask").hidden = true;
      } catch {
        status.textContent = `Could not load the posts from ${data.host}; the link above leads to them.`;
        button.disabled = false;
      }
      forget.hidden = !choice.get(data.host);
    }

    button.addEventListener("click", () => {
      choice.set(data.host, remember.checked);
      show();
    });
    forget.addEventListener("click", () => {
      choice.set(data.host, false);
      forget.hidden = true;
      status.textContent = `Posts from ${data.host} will load only when you ask again.`;
    });
    region.hidden = false;
    if (choice.get(data.host)) {
      remember.checked = true;
      show();
    }
  }

  document.querySelectorAll(".timeline-live").forEach(setUp);
})();
