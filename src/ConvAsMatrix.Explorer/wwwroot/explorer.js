// What .NET cannot do from the page: rewrite the address without reloading it (the settings live in its query).
// The first call comes once the first view is on screen: it leaves the mark "explorer-rendered" on the page's
// performance timeline, which is how long a reader waited (docs/explorer.md measures it).
window.explorer = {
  replaceQuery: function (query) {
    if (performance.getEntriesByName("explorer-rendered").length === 0) performance.mark("explorer-rendered");
    if (window.location.search !== query) window.history.replaceState(null, "", window.location.pathname + query);
  },
};
