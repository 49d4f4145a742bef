// The one thing .NET cannot do from the page: rewrite the address without reloading it (the settings live in its query).
window.explorer = {
  replaceQuery: function (query) {
    if (window.location.search !== query) window.history.replaceState(null, "", window.location.pathname + query);
  },
};
